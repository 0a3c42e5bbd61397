// The preview screen on its own, over preview data scanned from real files (the sample support chats, and a small
// file with problems): the summary tab, the findings tab (file:line, enter opens the conversation), the searchable
// conversation list, and the conversation view (sender, role, original time, local/UTC).
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {cleanup} from 'ink-testing-library';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {openSource} from '../../../source/core/import/source.js';
import {PreviewScreen} from '../../../source/ui/screens/preview-screen.js';
import {symbols} from '../../../source/ui/theme.js';
import type {WizardState} from '../../../source/ui/wizard/machine.js';
import {scanForPreview, type PreviewData} from '../../../source/ui/wizard/preview-data.js';
import {KEY} from '../../helpers/render.js';
import {actions, connectedState, flat, linesOf, lineWith, reduce, render, resize, spyDispatch, widthOf} from './harness.js';

afterEach(cleanup);

const root = join(import.meta.dirname, '..', '..', '..');
const SAMPLE = join(root, 'samples', 'support-chats.jsonl');

interface Line {
	conversationId: string;
	subject?: string;
	requesterEmail?: string;
	senderName: string;
	role: string;
	text: string;
	timestamp?: string;
}
/** The sample read independently of the readers, to know what the screen should show. */
const sampleLines = (): Line[] =>
	readFileSync(SAMPLE, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l) as Line);

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
/** Europe/Rome in May is UTC+2 (summer time). */
const rome = (ms: number) => utc(ms + 2 * 3600_000);

let dir: string;
let sample: PreviewData;
let problems: PreviewData;
let problemsPath: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'tdi-preview-screen-'));
	problemsPath = join(dir, 'problems.jsonl');
	writeFileSync(
		problemsPath,
		[
			{conversationId: 'c-1', subject: 'Refund', id: 'm1', senderId: 'u1', senderName: 'Ann Lee', role: 'end-user', text: 'I want a refund', timestamp: '2025-03-01T10:00:00Z'},
			{conversationId: 'c-1', id: 'm2', senderId: 'a1', senderName: 'Bob Agent', role: 'agent', text: 'Sure', timestamp: '2025-03-01T10:05:00Z'},
			{conversationId: 'c-2', subject: 'Login', id: 'm3', senderId: 'u2', senderName: 'Carl Ray', role: 'end-user', text: 'Cannot log in'},
			{conversationId: 'c-2', id: 'm4', senderId: 'a1', senderName: 'Bob Agent', role: 'wizard', text: 'Try again', timestamp: '2025-03-02T23:30:00Z'},
		]
			.map((l) => JSON.stringify(l))
			.join('\n') + '\n',
	);
	sample = await scanForPreview((await openSource(SAMPLE, 'samples/support-chats.jsonl', {})).transcript);
	problems = await scanForPreview((await openSource(problemsPath, problemsPath, {})).transcript);
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

function previewState(file: string, timezone = 'UTC'): WizardState {
	return reduce(
		{...connectedState(), readOptions: {timezone}},
		{type: 'continue'},
		{type: 'file-chosen', path: file},
		{type: 'scan-done', scan: {bytesRead: 1, totalBytes: 1, conversations: 8, messages: 76, done: true}},
	);
}

function mount(preview: PreviewData = sample, state: WizardState = previewState('samples/support-chats.jsonl')) {
	const dispatch = spyDispatch();
	const app = render(<PreviewScreen state={state} dispatch={dispatch} preview={preview} />);
	return {app, dispatch};
}

const bar = (line: string) => (line.match(new RegExp(symbols.barFull, 'g')) ?? []).length;

describe('preview: summary tab', () => {
	it('counts conversations, messages, participants and messages by role, as in the file', () => {
		const lines = sampleLines();
		const {app} = mount();
		const frame = app.frame();
		const conversations = new Set(lines.map((l) => l.conversationId)).size;
		expect(frame).toContain(`${conversations} conversations · ${lines.length} messages`);
		const byRole = (r: string) => lines.filter((l) => l.role === r).length;
		expect(lineWith(frame, 'messages:')).toContain(`end-user ${byRole('end-user')} · agent ${byRole('agent')} · bot ${byRole('bot')} · system ${byRole('system')}`);
		const people = (r: string) => new Set(lines.filter((l) => l.role === r).map((l) => l.senderName)).size;
		expect(lineWith(frame, 'participants:')).toContain(`agent ${people('agent')} · bot ${people('bot')}`);
		expect(frame).toContain('samples/support-chats.jsonl — Transcript JSONL');
		expect(frame).toContain('3.[Preview]');
		expect(frame).toContain(`${symbols.ok} No problems found.`);
		expect(lineWith(frame, ' 2 findings')).toContain('findings (0 errors, 0 warnings)');
		app.unmount();
	});

	it('states the time range from the first to the last message, in the chosen zone', () => {
		const times = sampleLines().map((l) => Date.parse(l.timestamp!));
		const first = Math.min(...times);
		const last = Math.max(...times);
		const inUtc = mount();
		expect(lineWith(inUtc.app.frame(), 'time range:')).toContain(`${utc(first)} ${symbols.arrowRight} ${utc(last)} (UTC)`);
		inUtc.app.unmount();
		const inRome = mount(sample, previewState('samples/support-chats.jsonl', 'Europe/Rome'));
		expect(lineWith(inRome.app.frame(), 'time range:')).toContain(`${rome(first)} ${symbols.arrowRight} ${rome(last)} (Europe/Rome)`);
		inRome.app.unmount();
	});

	it('draws one bar per day, as long as that day’s share, with the count', () => {
		const perDay = new Map<string, number>();
		for (const l of sampleLines()) perDay.set(l.timestamp!.slice(0, 10), (perDay.get(l.timestamp!.slice(0, 10)) ?? 0) + 1);
		const {app} = mount();
		const frame = app.frame();
		expect(frame).toContain('messages per day');
		const max = Math.max(...perDay.values());
		for (const [day, n] of perDay) {
			const line = lineWith(frame, new RegExp(`^${day} `));
			expect(line.trim().endsWith(` ${n}`)).toBe(true);
			expect(bar(line)).toBe(Math.round((n / max) * 40)); // the busiest day gets the full 40 columns
		}
		app.unmount();
	});

	it('a file with problems: errors and warnings counted, blocked conversations said, the findings tab pointed to', () => {
		const {app} = mount(problems, previewState(problemsPath));
		const frame = app.frame();
		expect(frame).toContain('2 conversations (1 blocked by errors) · 4 messages');
		expect(flat(frame)).toContain(`${symbols.fail} 1 errors, 1 warnings — see the findings tab; conversations with errors are left out of the import`);
		expect(frame).toContain('findings (1 errors, 1 warnings)');
		expect(frame).not.toContain('No problems found');
		app.unmount();
	});
});

describe('preview: keys', () => {
	it('tab / → / ← and 1–3 switch tabs; c continues to the options; esc goes back to the file', async () => {
		const {app, dispatch} = mount();
		await app.press(KEY.tab);
		await app.waitFor('No findings: the file is ready to import.');
		await app.press(KEY.right);
		await app.waitFor('chat-1000');
		await app.press(KEY.right);
		await app.waitFor('messages per day');
		await app.press(KEY.left);
		await app.waitFor('chat-1000');
		await app.press('2');
		await app.waitFor('No findings');
		await app.press('1');
		await app.waitFor('time range:');
		expect(actions(dispatch)).toEqual([]);
		await app.press('c');
		expect(actions(dispatch)).toEqual([{type: 'continue'}]);
		await app.press(KEY.esc);
		expect(actions(dispatch)).toEqual([{type: 'continue'}, {type: 'back'}]);
		app.unmount();
	});
});

describe('preview: findings tab', () => {
	it('lists each finding with its severity, code, file:line and conversation', async () => {
		const {app} = mount(problems, previewState(problemsPath));
		await app.press('2');
		const frame = await app.waitFor('timestamp-missing');
		const error = lineWith(frame, 'unknown-role');
		expect(error).toMatch(/^[❯>] ERROR +unknown-role /);
		expect(error).toContain(`${problemsPath}:4 [c-2]`);
		expect(error).toContain('Unknown role "wizard"');
		const warning = lineWith(frame, 'timestamp-missing');
		expect(warning).toMatch(/WARNING timestamp-missing /);
		expect(warning).toContain(`${problemsPath}:3 [c-2]`);
		expect(frame).toContain('enter open');
		app.unmount();
	});

	it('enter opens the conversation of the finding under the pointer; esc returns to the findings', async () => {
		const {app, dispatch} = mount(problems, previewState(problemsPath));
		await app.press('2');
		await app.waitFor('unknown-role');
		await app.press(KEY.down, KEY.enter);
		let frame = await app.waitFor('Conversation c-2');
		expect(frame).toContain('Conversation c-2 — Login');
		expect(frame).toContain('requester Carl Ray');
		expect(lineWith(frame, '#0')).toMatch(/\(no time; \d{4}-\d\d-\d\d \d\d:\d\d:\d\d synthesized\)/); // a missing time is said, not invented silently
		expect(frame).toMatch(/ERROR +unknown-role/); // the conversation's own findings
		await app.press(KEY.esc);
		frame = await app.waitFor('timestamp-missing');
		expect(frame).toContain('findings (1 errors, 1 warnings)');
		expect(actions(dispatch)).toEqual([]);
		app.unmount();
	});
});

describe('preview: conversations tab', () => {
	it('lists every conversation with id, message count, first time, requester and subject; problems are marked', async () => {
		const lines = sampleLines();
		const {app} = mount();
		await app.press('3');
		const frame = await app.waitFor('8 of 8');
		for (const id of new Set(lines.map((l) => l.conversationId))) {
			const mine = lines.filter((l) => l.conversationId === id);
			const first = Math.min(...mine.map((l) => Date.parse(l.timestamp!)));
			const row = lineWith(frame, id);
			expect(row).toMatch(new RegExp(`${id} +${mine.length} msgs {2}${utc(first).slice(0, 16)} {2}${mine[0]!.senderName}`));
			expect(row).toContain(`— ${mine[0]!.subject!.slice(0, 20)}`); // long rows are cut at the terminal's edge
		}
		app.unmount();
		const bad = mount(problems, previewState(problemsPath));
		await bad.app.press('3');
		await bad.app.waitFor('2 of 2');
		expect(lineWith(bad.app.frame(), 'c-2')).toContain(`${symbols.fail} c-2`);
		expect(lineWith(bad.app.frame(), 'c-1')).not.toContain(symbols.fail);
		bad.app.unmount();
	});

	it('/ searches ids, names and subjects; typed letters and digits are search text, not keys', async () => {
		const {app, dispatch} = mount();
		await app.press('3');
		await app.waitFor('8 of 8');
		await app.press('/');
		await app.waitFor('enter done');
		await app.type('chat-1003'); // "c" would continue and "1"/"3" would switch tabs if they were keys
		let frame = await app.waitFor('1 of 8');
		expect(frame).toContain('chat-1003');
		expect(frame).not.toContain('chat-1004');
		expect(actions(dispatch)).toEqual([]);
		await app.press('\u0015'); // ctrl+u clears the search
		await app.waitFor('8 of 8');
		await app.type('order not');
		const hits = Array.from({length: sample.size()}, (_, i) => sample.entry(i)!).filter((e) => e.subject?.toLowerCase().includes('order not'));
		expect(hits.length).toBeGreaterThan(1);
		frame = await app.waitFor(`${hits.length} of 8`);
		expect(frame).toContain('search: order not');
		await app.press(KEY.enter); // done searching: keys are keys again
		await app.waitFor('c continue to options');
		await app.press('c');
		expect(actions(dispatch)).toEqual([{type: 'continue'}]);
		app.unmount();
	});
});

describe('preview: one conversation', () => {
	const chat = 'chat-1007';
	const messagesOf = () => sampleLines().filter((l) => l.conversationId === chat);

	async function openChat(timezone: string) {
		const m = mount(sample, previewState('samples/support-chats.jsonl', timezone));
		await m.app.press('3');
		await m.app.waitFor('8 of 8');
		await m.app.press('/');
		await m.app.waitFor('enter done');
		await m.app.type('priya');
		await m.app.waitFor('1 of 8');
		await m.app.press(KEY.enter);
		await m.app.waitFor('c continue to options');
		await m.app.press(KEY.enter);
		await m.app.waitFor(`Conversation ${chat}`);
		return m;
	}

	it('shows each message with its number, original time, sender and role, and the requester', async () => {
		const msgs = messagesOf();
		const {app} = await openChat('Europe/Rome');
		const frame = app.frame();
		expect(frame).toContain(`Conversation ${chat} — ${msgs[0]!.subject}`);
		expect(lineWith(frame, 'requester')).toContain(`requester ${msgs[0]!.senderName} <${msgs[0]!.requesterEmail}> · ${msgs.length} messages · times in Europe/Rome`);
		for (const [i, m] of msgs.slice(0, 3).entries()) {
			expect(lineWith(frame, `#${i} `)).toContain(`#${i} ${rome(Date.parse(m.timestamp!))} ${m.senderName} [${m.role}]`);
		}
		expect(frame).toContain(msgs[0]!.text.slice(0, 30));
		app.unmount();
	});

	it('u switches the times between the chosen zone and UTC', async () => {
		const first = messagesOf()[0]!;
		const {app} = await openChat('Europe/Rome');
		expect(app.frame()).toContain('u UTC');
		await app.press('u');
		let frame = await app.waitFor('times in UTC');
		expect(lineWith(frame, '#0 ')).toContain(`#0 ${utc(Date.parse(first.timestamp!))} ${first.senderName}`);
		expect(frame).toContain('u local time');
		await app.press('u');
		frame = await app.waitFor('times in Europe/Rome');
		expect(lineWith(frame, '#0 ')).toContain(`#0 ${rome(Date.parse(first.timestamp!))}`);
		app.unmount();
	});

	it('fits a 24-row terminal and scrolls with ↓/↑', async () => {
		const msgs = messagesOf();
		const {app} = await openChat('UTC');
		resize(app.stdout, 80, 24);
		let frame = await app.until((f) => linesOf(f)[1] === '6.Summary', 'the header wraps at 80 columns (the resize is seen)');
		expect(linesOf(frame).length).toBeLessThan(24); // taller than the terminal would scroll its top away
		for (const line of linesOf(frame)) expect(widthOf(line)).toBeLessThanOrEqual(80);
		expect(frame).toContain('#0 ');
		expect(frame).not.toContain(`#${msgs.length - 1} `); // not everything fits: the rest is scrolled to
		await app.press(KEY.down);
		frame = await app.gone('#0 ');
		expect(lineWith(frame, '#1 ')).toContain(msgs[1]!.senderName);
		for (let i = 0; i < msgs.length; i++) await app.press(KEY.down);
		frame = await app.waitFor(`#${msgs.length - 1} `);
		expect(lineWith(frame, `#${msgs.length - 1} `)).toContain(msgs.at(-1)!.senderName);
		await app.press(KEY.up);
		await app.waitFor(`#${msgs.length - 2} `);
		app.unmount();
	});

	it('esc (or backspace) returns to the list, with the search kept', async () => {
		const {app, dispatch} = await openChat('UTC');
		await app.press(KEY.esc);
		let frame = await app.waitFor('1 of 8');
		expect(frame).toContain('priya');
		await app.press(KEY.enter);
		await app.waitFor(`Conversation ${chat}`);
		await app.press(KEY.backspace);
		frame = await app.waitFor('1 of 8');
		expect(actions(dispatch)).toEqual([]); // leaving the conversation is not leaving the preview
		app.unmount();
	});
});

describe('preview: a big file still being read', () => {
	it('shows the first conversations at once with how far the reading is; c waits; the list grows to the end', async () => {
		const big = join(dir, 'big.jsonl');
		const lines: string[] = [];
		for (let c = 0; c < 20_000; c++) for (let m = 0; m < 3; m++) lines.push(JSON.stringify({conversationId: `big-${c}`, senderId: m === 1 ? 'a1' : `u${c}`, role: m === 1 ? 'agent' : 'end-user', text: `m${m}`, timestamp: 1_700_000_000_000 + c * 60_000 + m}));
		writeFileSync(big, `${lines.join('\n')}\n`);
		const {openPreview} = await import('../../../source/ui/wizard/preview-data.js');
		const preview = await openPreview((await openSource(big, 'big.jsonl', {})).transcript, {}, {intervalMs: 20});
		await preview.waitFor(50);
		const state = reduce({...connectedState(), readOptions: {timezone: 'UTC'}}, {type: 'continue'}, {type: 'file-chosen', path: 'big.jsonl'}, {type: 'scan-ready'});
		const {app} = mount(preview, state);
		const first = app.frame();
		expect(first).toMatch(/(reading|checking) .*conversations, .* messages so far/);
		expect(first).toContain('continue (once the whole file is checked)');
		await app.press('3');
		await app.waitFor('big-0');
		await preview.done;
		const done = await app.waitFor('20,000 of 20,000');
		expect(done).not.toContain('so far');
		expect(done).toContain('continue to options');
		app.unmount();
		await preview.close();
	});
});
