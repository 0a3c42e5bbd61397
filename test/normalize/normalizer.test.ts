import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {DraftConversation, DraftMessage} from '../../source/core/model/draft.js';
import {assertTimezone, Normalizer} from '../../source/core/normalize/index.js';

const loc = (line: number) => ({file: 'test.csv', line});
const msg = (line: number, extra: Partial<DraftMessage> = {}): DraftMessage => ({
	location: loc(line),
	senderId: 'u1',
	role: 'visitor',
	text: `line ${line}`,
	...extra,
});
const conv = (messages: DraftMessage[], extra: Partial<DraftConversation> = {}): DraftConversation => ({
	id: 'c1',
	messages,
	location: loc(1),
	...extra,
});
const NOW = Date.UTC(2026, 0, 1);
const normalizer = () => new Normalizer({timezone: 'UTC', now: NOW});
const codes = (findings: {code: string}[]) => findings.map((f) => f.code);

describe('Normalizer', () => {
	it('maps role aliases and keeps original timestamps', () => {
		const {conversation, findings} = normalizer().add(
			conv([
				msg(2, {role: 'Visitor', timestamp: '2025-01-01T10:00:00Z'}),
				msg(3, {senderId: 'a1', role: 'operator', timestamp: '2025-01-01T10:01:00Z'}),
				msg(4, {senderId: 'b', role: 'automation', timestamp: '2025-01-01T10:02:00Z'}),
			]),
		);
		expect(conversation!.messages.map((m) => m.role)).toEqual(['end-user', 'agent', 'bot']);
		expect(conversation!.messages[1]!.timestamp).toBe(Date.UTC(2025, 0, 1, 10, 1));
		expect(conversation!.requester.id).toBe('u1');
		expect(Normalizer.isBlocked(findings)).toBe(false);
	});

	it('gives ties +1 ms and flags out-of-order and duplicate times', () => {
		const t = '2025-01-01T10:00:00Z';
		const {conversation, findings} = normalizer().add(conv([msg(2, {timestamp: t}), msg(3, {timestamp: t}), msg(4, {timestamp: '2025-01-01T09:00:00Z'})]));
		const base = Date.UTC(2025, 0, 1, 10);
		expect(conversation!.messages.map((m) => m.clientTimestamp)).toEqual([base, base + 1, base + 2]);
		expect(conversation!.messages[2]!.timestamp).toBe(base - 3_600_000);
		expect(codes(findings)).toEqual(expect.arrayContaining(['timestamp-duplicate', 'timestamp-out-of-order']));
	});

	it('synthesizes missing times between known neighbours and flags them', () => {
		const {conversation, findings} = normalizer().add(
			conv([msg(2, {timestamp: '2025-01-01T10:00:00Z'}), msg(3), msg(4, {timestamp: '2025-01-01T10:00:10Z'})]),
		);
		const [a, b, c] = conversation!.messages;
		expect(b!.timestampOrigin).toBe('synthesized');
		expect(b!.timestamp).toBeUndefined();
		expect(b!.clientTimestamp).toBeGreaterThan(a!.clientTimestamp);
		expect(b!.clientTimestamp).toBeLessThan(c!.clientTimestamp);
		expect(codes(findings)).toContain('timestamp-missing');
	});

	it('reports each validation problem with its code, severity and location', () => {
		const {findings} = normalizer().add(
			conv([
				msg(2, {text: '   '}),
				msg(3, {senderId: undefined, senderName: undefined}),
				msg(4, {role: 'wizard'}),
				msg(5, {text: 'Hello ${NAME}'}),
				msg(6, {text: 'x'.repeat(520_000)}),
				msg(7, {timestamp: '2099-01-01T00:00:00Z'}),
				msg(8, {timestamp: 1_000_000}),
				msg(9, {timestamp: 'soon'}),
			]),
		);
		const byCode = Object.fromEntries(findings.map((f) => [f.code, f]));
		expect(byCode['missing-text']).toMatchObject({severity: 'warning', location: loc(2)});
		expect(byCode['missing-sender']).toMatchObject({severity: 'error', location: loc(3)});
		expect(byCode['unknown-role']).toMatchObject({severity: 'error', location: loc(4)});
		expect(byCode['unknown-role']!.message).toContain('"wizard"');
		expect(byCode['template-placeholder']).toMatchObject({severity: 'warning', location: loc(5)});
		expect(byCode['message-too-large']).toMatchObject({severity: 'error', location: loc(6)});
		expect(byCode['timestamp-future']).toMatchObject({severity: 'warning'});
		expect(byCode['timestamp-before-2000']).toMatchObject({severity: 'warning'});
		expect(byCode['unparsable-timestamp']).toMatchObject({location: loc(9)});
		expect(byCode['timestamp-unit']).toMatchObject({severity: 'info'});
	});

	it('flags empty conversations, missing ids and duplicate ids', () => {
		const n = normalizer();
		expect(codes(n.add(conv([msg(2, {text: ''})])).findings)).toContain('empty-conversation');
		expect(codes(n.add(conv([msg(3)], {id: 'c1'})).findings)).toContain('duplicate-conversation-id');
		expect(codes(n.add(conv([msg(4)], {id: ''})).findings)).toContain('missing-conversation-id');
	});

	it('derives the role from the requester when a message has none', () => {
		const {conversation, findings} = normalizer().add(conv([msg(2, {role: undefined})], {requester: {id: 'u1'}}));
		expect(conversation!.messages[0]!.role).toBe('end-user');
		expect(findings).toEqual([expect.objectContaining({code: 'timestamp-missing'})]);
	});

	it('rejects unknown time zones with a human message', () => {
		expect(() => assertTimezone('Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
	});

	it('always produces strictly increasing client timestamps that keep originals when possible', () => {
		fc.assert(
			fc.property(fc.array(fc.option(fc.integer({min: 946_684_800_000, max: 1_900_000_000_000}), {nil: undefined}), {minLength: 1, maxLength: 40}), (times) => {
				const {conversation} = normalizer().add(conv(times.map((t, i) => msg(i + 2, t === undefined ? {} : {timestamp: {epochMs: t}}))));
				const messages = conversation!.messages;
				for (let i = 1; i < messages.length; i++) expect(messages[i]!.clientTimestamp).toBeGreaterThan(messages[i - 1]!.clientTimestamp);
				for (let i = 0; i < messages.length; i++) {
					const original = times[i];
					const prev = i === 0 ? -Infinity : messages[i - 1]!.clientTimestamp;
					if (original !== undefined && original > prev) expect(messages[i]!.clientTimestamp).toBe(original);
				}
			}),
		);
	});
});

describe('the ISO 8601 UTC fast path', () => {
	// Written out for speed (digits and day arithmetic, no Date.UTC per message): it must agree with the general
	// parser (parseTimestamp) on every value of its shape, out-of-range days (Feb 31 → Mar 3) and leap days included.
	it('gives the same instant as Date.UTC for any date of its shape', () => {
		fc.assert(
			fc.property(
				fc.record({
					year: fc.integer({min: 0, max: 9999}),
					month: fc.integer({min: 1, max: 12}),
					day: fc.integer({min: 1, max: 31}),
					hour: fc.integer({min: 0, max: 23}),
					minute: fc.integer({min: 0, max: 59}),
					second: fc.integer({min: 0, max: 60}),
					fraction: fc.stringMatching(/^(\.[0-9]{1,6})?$/),
				}),
				({year, month, day, hour, minute, second, fraction}) => {
					const p = (n: number, w: number) => String(n).padStart(w, '0');
					const iso = `${p(year, 4)}-${p(month, 2)}-${p(day, 2)}T${p(hour, 2)}:${p(minute, 2)}:${p(second, 2)}${fraction}Z`;
					const ms = fraction === '' ? 0 : Number(fraction.slice(1, 4).padEnd(3, '0'));
					const {conversation} = normalizer().add(conv([msg(2, {timestamp: iso})]));
					expect(conversation!.messages[0]!.timestamp, iso).toBe(Date.UTC(year, month - 1, day, hour, minute, second, ms));
					expect(conversation!.messages[0]!.timestampOrigin).toBe('iso-offset');
				},
			),
			{numRuns: 2000},
		);
	});
});
