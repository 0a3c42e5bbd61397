import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {inspectWhatsApp, listParticipants, whatsappReader} from '../../../source/core/readers/vendor-a/whatsapp.js';
import {parseHeader, splitSender} from '../../../source/core/readers/vendor-a/whatsapp-line.js';
import {inferDateOrder, toLocalTime} from '../../../source/core/readers/vendor-a/whatsapp-dates.js';
import {codes, collect, fixture, probeOf, tempDir, writeZip} from './helpers.js';

const ANDROID = fixture('whatsapp/WhatsApp Chat with Mario Rossi.txt');
const IOS = fixture('whatsapp/ios/_chat.txt');
const US = fixture('whatsapp/us-spanish-ampm.txt');
const GROUP = fixture('whatsapp/group-two-digit-year.txt');
const YMD = fixture('whatsapp/year-first.txt');

describe('WhatsApp line prefix', () => {
	it.each([
		['06/03/2017, 00:45 - Sample User: text', ['06', '03', '2017'], 0, 45, undefined, undefined],
		['[02/11/2020, 9:47:19 pm] Alice: text', ['02', '11', '2020'], 9, 47, 19, 'p'],
		['01/20/2019, 11:23 a. m. - John Doe:.', ['01', '20', '2019'], 11, 23, undefined, 'a'],
		['09/10/22, 10:37 p.\u00A0m. - X: y', ['09', '10', '22'], 10, 37, undefined, 'p'],
		['[09/10/22 11:37:00 p.m.] John Doe: y', ['09', '10', '22'], 11, 37, 0, 'p'],
		['[2024-03-15, 14:32:18] Pam: y', ['2024', '03', '15'], 14, 32, 18, undefined],
		['3/15/24, 2:00\u202FPM - Pam: y', ['3', '15', '24'], 2, 0, undefined, 'p'],
		['\u200E[02/11/2020, 9:48:02 pm] Alice: \u200E<attached: x.jpg>', ['02', '11', '2020'], 9, 48, 2, 'p'],
		['15.03.24, 14.32 - Pam: y', ['15', '03', '24'], 14, 32, undefined, undefined],
	])('%s', (line, date, hour, minute, second, meridiem) => {
		const h = parseHeader(line);
		expect(h?.date).toEqual(date);
		expect(h?.hour).toBe(hour);
		expect(h?.minute).toBe(minute);
		expect(h?.second).toBe(second);
		expect(h?.meridiem).toBe(meridiem);
	});

	it('does not take continuation lines or a name starting with A/P for a prefix', () => {
		expect(parseHeader('It can take a minute.')).toBeUndefined();
		expect(parseHeader('Order 12/03/2024 is late')).toBeUndefined();
		expect(parseHeader('06/03/2017, 00:45 - Pam: hi')?.meridiem).toBeUndefined();
		expect(parseHeader('[06/03/2017, 00:45] Amy: hi')?.rest).toBe('Amy: hi');
	});

	it('splits the sender at the first ": " but not in quoted system lines', () => {
		expect(splitSender('Mario: a: b')).toEqual({name: 'Mario', text: 'a: b'});
		expect(splitSender('John Doe:.')).toBeUndefined();
		expect(splitSender('Ana created group "Support: VIP"')).toBeUndefined();
		expect(splitSender('\u202A+1 555 123 4567\u202C: hi')).toEqual({name: '+1 555 123 4567', text: 'hi'});
	});
});

describe('WhatsApp date order', () => {
	const lines = (...dates: string[]) => dates.map((d, i) => ({line: i + 1, stamp: {date: d.split('/') as [string, string, string], hour: 1, minute: 0}}));
	it('a day value above 12 decides', () => {
		expect(inferDateOrder(lines('03/04/2020', '13/04/2020'))).toMatchObject({order: 'dmy', evidence: {line: 2, date: '13/04/2020'}});
		expect(inferDateOrder(lines('03/04/2020', '04/13/2020'))).toMatchObject({order: 'mdy', evidence: {line: 2}});
		expect(inferDateOrder(lines('06/03/2017', '08/05/2017', '09/04/2017')).order).toBeUndefined();
		expect(inferDateOrder(lines('2024/03/15')).order).toBe('ymd');
	});
	it('reads two-digit years as 20yy and rejects impossible days', () => {
		expect(toLocalTime({date: ['09', '10', '22'], hour: 1, minute: 2}, 'dmy')).toMatchObject({ok: true, local: {year: 2022, month: 10, day: 9}});
		expect(toLocalTime({date: ['31', '02', '22'], hour: 1, minute: 2}, 'dmy')).toMatchObject({ok: false});
		expect(toLocalTime({date: ['13', '02', '22'], hour: 1, minute: 2}, 'mdy')).toMatchObject({ok: false});
	});
	it('12-hour clock: 12 am is midnight, 12 pm noon, and 13 p.m. stays 13', () => {
		const at = (hour: number, meridiem: 'a' | 'p') => toLocalTime({date: ['1', '2', '2020'], hour, minute: 0, meridiem}, 'dmy');
		expect(at(12, 'a')).toMatchObject({local: {hour: 0}});
		expect(at(12, 'p')).toMatchObject({local: {hour: 12}});
		expect(at(1, 'p')).toMatchObject({local: {hour: 13}});
		expect(at(13, 'p')).toMatchObject({local: {hour: 13}, inconsistentMeridiem: true});
	});
	it('any formatted day-first date round-trips through the prefix parser', () => {
		fc.assert(
			fc.property(fc.date({min: new Date('2009-01-01'), max: new Date('2099-12-31'), noInvalidDate: true}), fc.boolean(), (d, pm12) => {
				const dd = String(d.getUTCDate()).padStart(2, '0');
				const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
				const h = d.getUTCHours();
				const time = pm12 ? `${h % 12 === 0 ? 12 : h % 12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'am' : 'pm'}` : `${h}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
				const header = parseHeader(`${dd}/${mm}/${d.getUTCFullYear()}, ${time} - A: b`);
				expect(header).toBeDefined();
				const local = toLocalTime(header!, 'dmy');
				expect(local).toMatchObject({ok: true, local: {year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: h, minute: d.getUTCMinutes()}});
			}),
		);
	});
});

describe('WhatsApp reader: Android day-first chat', () => {
	it('maps system, continuation, attachment lines and guesses the agent', async () => {
		const {drafts, findings} = await collect(whatsappReader, ANDROID);
		expect(drafts).toHaveLength(1);
		const d = drafts[0]!;
		expect(d.id).toMatch(/^whatsapp:[0-9a-f]{16}$/);
		expect(d.subject).toBe('WhatsApp chat with Mario Rossi');
		expect(d.requester).toEqual({id: 'Mario Rossi', name: 'Mario Rossi'});
		expect(d.messages.map((m) => [m.role, m.senderId])).toEqual([
			['system', 'system'],
			['end-user', 'Mario Rossi'],
			['agent', 'Acme Support'],
			['end-user', 'Mario Rossi'],
			['agent', 'Acme Support'],
			['end-user', 'Mario Rossi'],
		]);
		expect(d.messages[0]!.text).toMatch(/^Messages and calls are end-to-end encrypted/);
		expect(d.messages[2]!.text).toBe('Hello Mario! Let me check.\nIt can take a minute.\n\nThanks for waiting.');
		expect(d.messages[3]).toMatchObject({text: '', attachments: [{name: 'media omitted from the export'}]});
		expect(d.messages[4]).toMatchObject({text: 'Here is the tracking page', attachments: [{name: 'IMG-20240315-WA0001.jpg'}]});
		expect(d.messages[5]!.text).toBe('Got it, thanks: all good');
		expect(d.messages[1]!.timestamp).toEqual({local: {year: 2024, month: 3, day: 15, hour: 9, minute: 5}});
		expect(d.messages[5]!.timestamp).toEqual({local: {year: 2024, month: 3, day: 16, hour: 18, minute: 30}});
		expect(d.messages[5]!.location).toEqual({file: ANDROID, line: 10});
		const order = findings.find((f) => f.code === 'date-order');
		expect(order).toMatchObject({severity: 'info', conversationId: d.id});
		expect(order!.message).toContain('line 1');
		const role = findings.find((f) => f.code === 'role-assumed');
		expect(role?.message).toContain('Assumed "Acme Support" is the business (agent)');
		expect(codes(findings)).toContain('timestamp-no-zone');
		expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
	});

	it('uses --agents instead of guessing, and warns about unknown names', async () => {
		const {drafts, findings} = await collect(whatsappReader, ANDROID, {agents: ['mario rossi', 'Nobody']});
		expect(drafts[0]!.messages[1]!.role).toBe('agent');
		expect(drafts[0]!.messages[2]!.role).toBe('end-user');
		expect(drafts[0]!.requester?.name).toBe('Acme Support');
		const warnings = findings.filter((f) => f.code === 'role-assumed');
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatchObject({severity: 'warning'});
		expect(warnings[0]!.message).toContain('"Nobody"');
	});

	it('names bots from --bots', async () => {
		const {drafts} = await collect(whatsappReader, ANDROID, {bots: ['Acme Support']});
		expect(drafts[0]!.messages[2]!.role).toBe('bot');
	});
});

describe('WhatsApp reader: iOS chat (ambiguous dates, 12 h, U+200E)', () => {
	it('assumes day-first and says how to change it', async () => {
		const {drafts, findings} = await collect(whatsappReader, IOS);
		const order = findings.find((f) => f.code === 'date-order')!;
		expect(order.severity).toBe('warning');
		expect(order.message).toContain('ambiguous');
		expect(order.message).toContain('assumed day/month/year (dmy)');
		expect(order.message).toContain('--date-order dmy|mdy|ymd');
		const m = drafts[0]!.messages;
		expect(m[0]).toMatchObject({role: 'system', senderId: 'system'});
		expect(m[1]!.timestamp).toEqual({local: {year: 2020, month: 11, day: 2, hour: 21, minute: 47, second: 19}});
		expect(m[2]).toMatchObject({text: '', attachments: [{name: '00000010-PHOTO-2020-11-02-21-47-19.jpg'}], senderName: 'Laura Bianchi'});
		expect(m[3]!.text).toBe('Yes, from 9 am\nto 7 pm');
		expect(m[4]!.timestamp).toEqual({local: {year: 2020, month: 11, day: 3, hour: 0, minute: 5, second: 0}});
		expect(m[5]).toMatchObject({attachments: [{name: 'image omitted from the export'}], role: 'agent'});
		expect(m[5]!.timestamp).toMatchObject({local: {hour: 12, minute: 30}});
	});

	it('follows --date-order for ambiguous files (info, not warning)', async () => {
		const {drafts, findings} = await collect(whatsappReader, IOS, {dateOrder: 'mdy'});
		expect(drafts[0]!.messages[1]!.timestamp).toMatchObject({local: {month: 2, day: 11}});
		expect(findings.find((f) => f.code === 'date-order')).toMatchObject({severity: 'info'});
	});

	it('reads the same chat from a ZIP export with an archive location and the same id', async () => {
		const zip = writeZip(join(tempDir(), 'WhatsApp Chat - Laura.zip'), {
			'_chat.txt': readFileSync(IOS),
			'00000010-PHOTO-2020-11-02-21-47-19.jpg': Buffer.from([0xff, 0xd8, 0xff]),
		});
		const fromZip = await collect(whatsappReader, zip);
		const fromTxt = await collect(whatsappReader, IOS);
		expect(fromZip.drafts[0]!.id).toBe(fromTxt.drafts[0]!.id);
		expect(fromZip.drafts[0]!.messages).toHaveLength(6);
		expect(fromZip.drafts[0]!.messages[3]!.location).toEqual({file: zip, line: 4, path: 'WhatsApp Chat - Laura.zip:_chat.txt'});
		const probe = await probeOf(zip);
		expect(whatsappReader.detect(probe).confidence).toBeGreaterThanOrEqual(0.9);
	});

	it('reports a ZIP without a chat text and a damaged ZIP', async () => {
		const dir = tempDir();
		const empty = await collect(whatsappReader, writeZip(join(dir, 'photos.zip'), {'a.jpg': 'x', 'b.jpg': 'y'}));
		expect(empty.drafts).toEqual([]);
		expect(empty.findings[0]).toMatchObject({severity: 'error', code: 'unknown-format'});
		expect(empty.findings[0]!.message).toContain('_chat.txt');
		const broken = join(dir, 'broken.zip');
		writeZip(broken, {'_chat.txt': 'x'});
		const bytes = readFileSync(broken);
		const {writeFileSync} = await import('node:fs');
		writeFileSync(broken, bytes.subarray(0, bytes.length - 30));
		const damaged = await collect(whatsappReader, broken);
		expect(damaged.findings[0]).toMatchObject({severity: 'error', code: 'unreadable-file'});
		expect(damaged.findings[0]!.message).toContain(broken);
	});
});

describe('WhatsApp reader: localized AM/PM, month-first', () => {
	it('infers month-first from 01/20 and parses a. m., p.\u00A0m., U+202F AM', async () => {
		const {drafts, findings} = await collect(whatsappReader, US);
		const order = findings.find((f) => f.code === 'date-order')!;
		expect(order.message).toContain('month/day/year (mdy)');
		const m = drafts[0]!.messages;
		expect(m[0]).toMatchObject({text: '.', senderId: 'John Doe', role: 'end-user'});
		expect(m[0]!.timestamp).toEqual({local: {year: 2019, month: 1, day: 20, hour: 11, minute: 23}});
		expect(m[2]!.timestamp).toMatchObject({local: {hour: 13, minute: 5}});
		expect(m[3]).toMatchObject({text: 'Lo sentimos 😞', role: 'agent'});
		expect(m[3]!.timestamp).toMatchObject({local: {hour: 13, minute: 6}});
		expect(m[4]!.timestamp).toEqual({local: {year: 2019, month: 1, day: 21, hour: 9, minute: 0}});
		expect(m[5]).toMatchObject({attachments: [{name: 'foto.jpg'}]});
		expect(m[5]!.timestamp).toMatchObject({local: {hour: 12, minute: 15}});
	});

	it('warns when --date-order contradicts the file and reports the invalid dates', async () => {
		const {drafts, findings} = await collect(whatsappReader, US, {dateOrder: 'dmy'});
		expect(findings.find((f) => f.code === 'date-order')).toMatchObject({severity: 'warning'});
		const bad = findings.find((f) => f.code === 'unparsable-timestamp')!;
		expect(bad.message).toContain('6 date(s)');
		expect(bad.location).toEqual({file: US, line: 1});
		expect(drafts[0]!.messages[0]!.timestamp).toBeNull();
	});
});

describe('WhatsApp reader: group chat', () => {
	it('keeps everyone an end-user, cleans bidi marks, handles the 13:37 p.m. line', async () => {
		const {drafts, findings} = await collect(whatsappReader, GROUP);
		const m = drafts[0]!.messages;
		expect(m.map((x) => x.role)).toEqual(['system', 'system', 'end-user', 'end-user', 'end-user', 'end-user', 'end-user']);
		expect(m[0]!.text).toBe('Ana created group "Support: VIP"');
		expect(m[3]!.senderId).toBe('+1 555 123 4567');
		expect(m[4]!.senderName).toBe('🌟 Bob');
		expect(m[2]!.timestamp).toEqual({local: {year: 2022, month: 10, day: 9, hour: 22, minute: 38}});
		expect(m[5]!.timestamp).toEqual({local: {year: 2022, month: 10, day: 9, hour: 23, minute: 37, second: 0}});
		expect(m[6]!.timestamp).toEqual({local: {year: 2022, month: 10, day: 9, hour: 13, minute: 37, second: 0}});
		expect(findings.find((f) => f.code === 'role-assumed')!.message).toContain('Group chat with 3 participants');
		expect(findings.some((f) => f.code === 'unparsable-timestamp' && f.message.includes('line 7'))).toBe(true);
	});

	it('lists participants for the wizard', async () => {
		expect((await listParticipants(GROUP)).map((p) => [p.name, p.messages])).toEqual([
			['Ana', 2],
			['+1 555 123 4567', 1],
			['🌟 Bob', 2],
		]);
		const android = await inspectWhatsApp(ANDROID);
		expect(android.guessedAgent).toBe('Acme Support');
		expect(android.dateOrder).toEqual({inferred: 'dmy', used: 'dmy'});
		expect((await inspectWhatsApp(IOS)).dateOrder).toEqual({used: 'dmy'});
	});
});

describe('WhatsApp reader: other cases', () => {
	it('year-first dates need no finding about the order', async () => {
		const {drafts, findings} = await collect(whatsappReader, YMD);
		expect(codes(findings)).not.toContain('date-order');
		expect(drafts[0]!.messages[0]!.timestamp).toEqual({local: {year: 2024, month: 3, day: 15, hour: 14, minute: 32, second: 18}});
		expect(drafts[0]!.subject).toBeUndefined();
	});

	it('a text that is not a chat gives a clear error and no conversation', async () => {
		const path = fixture('whatsapp/broken.txt');
		const {drafts, findings} = await collect(whatsappReader, path);
		expect(drafts).toEqual([]);
		expect(findings.map((f) => [f.severity, f.code])).toContainEqual(['error', 'unparsable']);
		expect(findings.find((f) => f.severity === 'error')!.message).toContain('not a WhatsApp chat export');
	});

	it('a missing file is reported, not thrown', async () => {
		const {findings} = await collect(whatsappReader, fixture('whatsapp/nope.txt'));
		expect(findings[0]).toMatchObject({severity: 'error', code: 'unreadable-file'});
		expect(findings[0]!.message).toContain('file not found');
	});

	it('the id depends on the first line and participants, not on the file name', async () => {
		const dir = tempDir();
		const copy = join(dir, 'renamed.txt');
		const {writeFileSync} = await import('node:fs');
		writeFileSync(copy, readFileSync(ANDROID));
		const changed = join(dir, 'changed.txt');
		writeFileSync(changed, readFileSync(ANDROID, 'utf8').replace('09:02', '09:03'));
		const a = (await collect(whatsappReader, ANDROID)).drafts[0]!.id;
		expect((await collect(whatsappReader, copy)).drafts[0]!.id).toBe(a);
		expect((await collect(whatsappReader, changed)).drafts[0]!.id).not.toBe(a);
	});

	it('detects chat texts and rejects other text', async () => {
		for (const path of [ANDROID, IOS, US, GROUP, YMD]) expect(whatsappReader.detect(await probeOf(path)).confidence, path).toBeGreaterThanOrEqual(0.9);
		expect(whatsappReader.detect(await probeOf(fixture('whatsapp/broken.txt'))).confidence).toBeLessThanOrEqual(0.3);
	});
});
