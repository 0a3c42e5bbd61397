// The import screen on its own, driven by engine events through a real progress store and a small fake run:
// progress bars and counts, rate and ETA, conversations in flight with their step, retries and rate limiting,
// finished conversations with their outcome (word and symbol, never colour alone), pause/resume and cancel,
// and that it fits an 80-column terminal without colour escapes.
import {Text} from 'ink';
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {ImportRun} from '../../../source/core/import/engine.js';
import type {ConversationResult, ConversationStatus, ImportEvent} from '../../../source/core/import/events.js';
import {importOptions} from '../../../source/core/import/options.js';
import type {Plan} from '../../../source/core/import/plan.js';
import {createProgressStore, type ProgressStore} from '../../../source/core/import/store.js';
import {FOLD_AT} from '../../../source/ui/screens/finished-lines.js';
import {ImportScreen} from '../../../source/ui/screens/import-screen.js';
import {symbols, theme} from '../../../source/ui/theme.js';
import {KEY} from '../../helpers/render.js';
import {linesOf, lineWith, render, resize, widthOf} from './harness.js';

afterEach(() => {
	cleanup();
	vi.useRealTimers();
});

function plan(conversations: number, messages: number): Plan {
	return {file: 'chats.jsonl', format: 'jsonl', source: 'jsonl', projectId: '6b062dde0fe55021d73267f8', inFile: conversations, conversations, messages, blocked: 0, alreadyDone: 0, calls: 0, bytes: 0, estimatedMs: 0, newConversationsAtMost: conversations, unknownIds: [], options: importOptions({})};
}

function result(index: number, status: ConversationStatus, extra: Partial<ConversationResult> = {}): ConversationResult {
	return {index, sourceId: `chat-${1000 + index}`, requestId: `support-group-x-${index}`, status, created: status === 'imported', messages: 10, sent: status === 'imported' ? 10 : 0, alreadyPresent: 0, durationMs: 120, ...extra};
}

/** A stand-in for ImportRun with what the screen uses; like the engine, it reports pause/resume/cancel as events. */
function fakeRun(store: ProgressStore) {
	const run = {
		paused: false,
		pause: vi.fn(() => {
			run.paused = true;
			store.push({type: 'paused'});
		}),
		resume: vi.fn(() => {
			run.paused = false;
			store.push({type: 'resumed'});
		}),
		cancel: vi.fn((reason: string) => store.push({type: 'cancelling', reason})),
		abort: vi.fn(),
	};
	return run;
}

/**
 * The screen rendered with ink-testing-library, which runs Ink in debug mode: there, a frame is written as it is,
 * and text written above the live region (the finished lines, Ink's `write`) is written on its own. That text is
 * kept apart here (`above`), so that `frames` and `frame()` are the screen's frames. Finished lines start with an
 * outcome symbol (colour is off in the tests); a frame starts with the header or, on a short terminal, the phase.
 */
const FINISHED_LINE = /^[✔=·✖⊘↷] /;

function mount(store: ProgressStore = createProgressStore({intervalMs: 10})) {
	const run = fakeRun(store);
	// Mounted after a first, empty render: ink-testing-library makes its stdout in render().
	const app = render(<Text />);
	const above: string[] = [];
	const stdout = app.stdout as unknown as {write(text: string): void};
	const frameOut = stdout.write;
	stdout.write = (text: string) => {
		if (FINISHED_LINE.test(text)) above.push(text);
		else frameOut(text);
	};
	app.rerender(<ImportScreen run={run as unknown as ImportRun} store={store} />);
	const push = (...events: ImportEvent[]) => {
		for (const e of events) store.push(e);
		store.flush();
	};
	return {app, run, store, push, above};
}

/** Waits until the text written above the live region contains `what`, and returns that text. */
async function written(above: string[], what: string, timeoutMs = 8000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	while (!above.join('').includes(what)) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} above the live region; written so far:\n${above.join('')}`);
		await new Promise((r) => setTimeout(r, 20));
	}
	return above.join('');
}

/** A run halfway: one imported, one failed, two in flight (one sending, one at the requester step), a retry and a 429. */
const halfway: ImportEvent[] = [
	{type: 'run-planned', plan: plan(4, 40)},
	{type: 'run-started', runId: 'run-7f3a', dryRun: false, resumed: 0},
	{type: 'conversation-started', index: 0, sourceId: 'chat-1000', requestId: 'support-group-x-0', messages: 10},
	{type: 'step', index: 0, sourceId: 'chat-1000', step: 'sending'},
	{type: 'messages-sent', index: 0, sourceId: 'chat-1000', sent: 10, total: 10},
	{type: 'conversation-finished', result: result(0, 'imported')},
	{type: 'conversation-started', index: 1, sourceId: 'chat-1001', requestId: 'support-group-x-1', messages: 10},
	{type: 'messages-sent', index: 1, sourceId: 'chat-1001', sent: 4, total: 10},
	{type: 'conversation-finished', result: result(1, 'failed', {sent: 4, error: {kind: 'server', message: 'HTTP 500 from POST /requests/x/messages: internal error'}})},
	{type: 'conversation-started', index: 2, sourceId: 'chat-1002', requestId: 'support-group-x-2', messages: 10},
	{type: 'step', index: 2, sourceId: 'chat-1002', step: 'sending'},
	{type: 'messages-sent', index: 2, sourceId: 'chat-1002', sent: 3, total: 10},
	{type: 'conversation-started', index: 3, sourceId: 'chat-1003', requestId: 'support-group-x-3', messages: 10},
	{type: 'step', index: 3, sourceId: 'chat-1003', step: 'requester'},
	{type: 'retry', index: 2, sourceId: 'chat-1002', operation: 'POST messages/multi', attempt: 1, delayMs: 2000, reason: 'HTTP 503 Service Unavailable'},
	{type: 'rate-limited', delayMs: 1500, concurrency: 2},
];

/** A run of 30 conversations with `inFlight` of them started at once, and a retry. */
function crowded(inFlight: number): ImportEvent[] {
	return [
		{type: 'run-planned', plan: plan(30, 300)},
		{type: 'run-started', runId: 'r', dryRun: false, resumed: 0},
		...Array.from({length: inFlight}, (_, i): ImportEvent => ({type: 'conversation-started', index: i, sourceId: `chat-${1000 + i}`, requestId: `q${i}`, messages: 10})),
		{type: 'retry', operation: 'GET', attempt: 1, delayMs: 100, reason: 'ECONNRESET'},
	];
}

const blocks = (line: string, ch: string) => [...line].filter((c) => c === ch).length;

describe('import screen: progress', () => {
	it('before anything happened: zero counts and "measuring speed…"', () => {
		const {app} = mount();
		const frame = app.frame();
		expect(frame).toContain('5.[Import]');
		expect(frame).toContain('planning…');
		expect(lineWith(frame, 'conversations ')).toMatch(/ 0% 0\/0$/);
		expect(frame).toContain('measuring speed…');
		app.unmount();
	});

	it('shows phase, run, progress bars with percentages and counts, outcomes so far, retries and rate limiting', async () => {
		const {app, push} = mount();
		push(...halfway);
		const frame = await app.waitFor('run run-7f3a');
		expect(lineWith(frame, 'run run-7f3a')).toMatch(/^importing {2}run run-7f3a · 2 in flight after rate limiting$/);
		const conversations = lineWith(frame, /^conversations /);
		expect(blocks(conversations, symbols.barFull)).toBe(20); // 2 of 4: half of the 40-column bar
		expect(blocks(conversations, symbols.barEmpty)).toBe(20);
		expect(conversations).toMatch(/ 50% 2\/4$/);
		const messages = lineWith(frame, /^messages /);
		expect(messages).toMatch(/ 42% 17\/40$/); // 10 of the imported one + 4 sent by the failed one + 3 in flight
		expect(blocks(messages, symbols.barFull)).toBe(Math.round((17 / 40) * 40));
		const outcomes = lineWith(frame, `${symbols.ok} 1 imported`);
		expect(outcomes).toContain('= 0 unchanged');
		expect(outcomes).toContain(`${symbols.fail} 1 failed`);
		expect(outcomes).toContain('1 retries');
		expect(outcomes).toContain('rate limited 1×');
		expect(frame).toContain('retrying POST messages/multi in 2.0 s: HTTP 503 Service Unavailable');
		app.unmount();
	});

	it('lists the conversations in flight with their step (and messages sent so far while sending)', async () => {
		const {app, push} = mount();
		push(...halfway);
		const frame = await app.waitFor('chat-1003');
		expect(lineWith(frame, 'chat-1002')).toBe(`${symbols.bullet} chat-1002 sending 3/10`);
		expect(lineWith(frame, 'chat-1003')).toBe(`${symbols.bullet} chat-1003 requester`);
		push({type: 'step', index: 3, sourceId: 'chat-1003', step: 'creating'}, {type: 'messages-sent', index: 2, sourceId: 'chat-1002', sent: 8, total: 10});
		const next = await app.waitFor('chat-1003 creating');
		expect(lineWith(next, 'chat-1002')).toContain('sending 8/10');
		push({type: 'conversation-finished', result: result(2, 'imported')});
		const done = await app.waitFor('2 imported');
		expect(done).not.toContain(`${symbols.bullet} chat-1002`);
		expect(lineWith(done, /^messages /)).toMatch(/ 60% 24\/40$/); // chat-1002 now counts all its 10 messages
		app.unmount();
	});

	it('finished conversations are listed above with outcome word and symbol; failures with their reason', async () => {
		const {app, push, above} = mount();
		push(...halfway);
		const text = await written(above, 'HTTP 500');
		expect(lineWith(text, 'chat-1000 ')).toMatch(/^✔ imported +chat-1000 10 messages$/);
		expect(lineWith(text, 'chat-1001 ')).toMatch(/^✖ FAILED +chat-1001 HTTP 500 from POST \/requests\/x\/messages: internal error$/);
		expect(app.frame()).not.toContain('chat-1001 HTTP 500'); // above the live region, not in it
		expect(linesOf(text).filter((l) => l.includes('chat-100')).length).toBe(2); // the two in flight are not there
		app.unmount();
	});

	it('every outcome has its own word and symbol, so status never depends on colour', async () => {
		const {app, push, above} = mount();
		const words: Record<ConversationStatus, RegExp> = {
			imported: /^✔ imported +chat-1000 10 messages$/,
			completed: /^✔ completed +chat-1001 6 of 10 messages were missing, sent$/,
			unchanged: /^= unchanged +chat-1002 10 messages$/,
			blocked: /^⊘ blocked +chat-1003 /,
			failed: /^✖ FAILED +chat-1004 timeout$/,
			cancelled: /^↷ stopped +chat-1005 /,
			planned: /^· planned +chat-1006 would be created \(10 messages\)$/,
		};
		push(
			{type: 'run-planned', plan: plan(7, 70)},
			{type: 'run-started', runId: 'r', dryRun: false, resumed: 0},
			...(Object.keys(words) as ConversationStatus[]).map((status, i): ImportEvent => ({type: 'conversation-finished', result: result(i, status, status === 'completed' ? {sent: 6} : status === 'failed' ? {error: {kind: 'timeout', message: 'timeout'}} : {})})),
		);
		const text = await written(above, 'chat-1006');
		for (const pattern of Object.values(words)) expect(text).toMatch(new RegExp(pattern.source, 'm'));
		expect(lineWith(await app.waitFor('2 imported'), `${symbols.ok} 2 imported`)).toContain(`${symbols.warn} 1 blocked`); // imported + completed
		app.unmount();
	});

	it(`more than ${FOLD_AT} successes in one frame fold into one line per outcome; a failure keeps its own line`, async () => {
		const {app, push, above} = mount();
		push(
			{type: 'run-planned', plan: plan(15, 150)},
			{type: 'run-started', runId: 'r', dryRun: false, resumed: 0},
			...Array.from({length: 12}, (_, i): ImportEvent => ({type: 'conversation-finished', result: result(i, 'imported', {messages: 8})})),
			{type: 'conversation-finished', result: result(12, 'failed', {error: {kind: 'server', message: 'HTTP 502 bad gateway'}})},
			{type: 'conversation-finished', result: result(13, 'unchanged')},
			{type: 'conversation-finished', result: result(14, 'completed', {sent: 2})},
		);
		const frame = await written(above, 'HTTP 502');
		expect(lineWith(frame, 'conversations')).toMatch(/^✔ imported +12 conversations chat-1000 … chat-1011, 96 messages$/);
		expect(frame).not.toMatch(/^✔ imported +chat-1005/m);
		expect(lineWith(frame, 'chat-1012')).toMatch(/^✖ FAILED +chat-1012 HTTP 502 bad gateway$/);
		expect(lineWith(frame, 'chat-1014')).toMatch(/^✔ completed +chat-1014 2 of 10 messages were missing, sent$/);
		// The one unchanged is folded with its own kind (a group of one), not mixed into the imported line.
		expect(frame).toMatch(/^= unchanged +1 conversations chat-1013 … chat-1013, 10 messages$/m);
		app.unmount();
	});

	it('each finished conversation is written once, after the frame that counted it, however often the screen redraws', async () => {
		const {app, push, above} = mount();
		push({type: 'run-planned', plan: plan(3, 30)}, {type: 'run-started', runId: 'r', dryRun: false, resumed: 0}, {type: 'conversation-finished', result: result(0, 'imported')});
		await written(above, 'chat-1000 10 messages');
		expect(app.frame()).toContain('1 imported');
		push({type: 'conversation-started', index: 1, sourceId: 'chat-1001', requestId: 'q1', messages: 10});
		await app.waitFor('chat-1001 checking');
		push({type: 'conversation-finished', result: result(1, 'imported')});
		await written(above, 'chat-1001 10 messages');
		// More frames without new finished conversations (a step, a retry, the clock) write nothing more.
		push({type: 'conversation-started', index: 2, sourceId: 'chat-1002', requestId: 'q2', messages: 10}, {type: 'retry', operation: 'GET', attempt: 1, delayMs: 100, reason: 'ECONNRESET'});
		await app.waitFor('1 retries');
		await new Promise((r) => setTimeout(r, 1100));
		push({type: 'conversation-finished', result: result(2, 'imported')}, {type: 'run-finished', runId: 'r', totals: {} as never, stop: {kind: 'completed'}, reports: []});
		const text = await written(above, 'chat-1002 10 messages');
		expect(linesOf(text).filter((l) => l !== '')).toEqual([0, 1, 2].map((i) => expect.stringMatching(new RegExp(`^✔ imported +chat-100${i} 10 messages$`))));
		app.unmount();
	});

	it('a dry run says it is only checking, and what each conversation would do', async () => {
		const {app, push, above} = mount();
		push(
			{type: 'run-planned', plan: plan(2, 20)},
			{type: 'run-started', runId: 'dry-1', dryRun: true, resumed: 0},
			{type: 'conversation-finished', result: result(0, 'planned', {exists: false})},
			{type: 'conversation-finished', result: result(1, 'planned', {exists: true, alreadyPresent: 3})},
		);
		const text = await written(above, 'chat-1001');
		expect(app.frame()).toMatch(/^checking \(dry run\) {2}run dry-1/m);
		expect(lineWith(text, 'chat-1000 ')).toContain('would be created (10 messages)');
		expect(lineWith(text, 'chat-1001 ')).toContain('exists, 3/10 messages there');
		app.unmount();
	});

	it('rate, ETA and elapsed time come from the clock: 50 messages in 10 s is 5.0/s, the other 50 take about 10 s more', async () => {
		vi.useFakeTimers({toFake: ['Date']});
		const t0 = Date.parse('2025-06-01T10:00:00Z');
		vi.setSystemTime(t0);
		const store = createProgressStore({intervalMs: 10});
		store.push({type: 'run-planned', plan: plan(10, 100)});
		store.push({type: 'run-started', runId: 'r', dryRun: false, resumed: 0});
		for (const i of [0, 1]) {
			store.push({type: 'conversation-started', index: i, sourceId: `chat-${i}`, requestId: `q${i}`, messages: 25});
			store.push({type: 'conversation-finished', result: result(i, 'imported', {messages: 25, sent: 25})});
		}
		vi.setSystemTime(t0 + 10_000);
		store.push({type: 'retry', operation: 'GET /requests/q2', attempt: 1, delayMs: 500, reason: 'ECONNRESET'});
		store.flush();
		const {app} = mount(store);
		let frame = app.frame();
		expect(frame).toContain('5.0 messages/s · 12 conversations/min · about 10.0 s left · 10.0 s elapsed');
		expect(frame).toContain('retrying GET /requests/q2 in 500 ms: ECONNRESET');
		// Six seconds later (the screen ticks every second): the time moves on and the old retry notice is gone.
		vi.setSystemTime(t0 + 16_000);
		// (The render helper's waitFor times out by the clock, which is frozen here: poll a bounded number of times.)
		for (let i = 0; i < 400 && !app.frame().includes('16.0 s elapsed'); i++) await new Promise((r) => setTimeout(r, 10));
		frame = app.frame();
		expect(frame).toContain('16.0 s elapsed');
		expect(frame).toContain('3.1 messages/s'); // 50 messages in 16 s
		expect(frame).not.toContain('retrying GET');
		expect(frame).toContain('1 retries'); // the count stays
		app.unmount();
	});
});

describe('import screen: keys', () => {
	it('p pauses and resumes (space too); the phase and the key hint say which', async () => {
		const {app, run, push} = mount();
		push(...halfway.slice(0, 3));
		await app.waitFor('importing');
		expect(app.frame()).toContain('p pause');
		await app.press('p');
		expect(run.pause).toHaveBeenCalledTimes(1);
		let frame = await app.waitFor(`${symbols.pause} paused`);
		expect(frame).toContain('p resume');
		await app.press('p');
		expect(run.resume).toHaveBeenCalledTimes(1);
		frame = await app.waitFor(/^importing /m);
		expect(frame).toContain('p pause');
		await app.press(' ');
		expect(run.pause).toHaveBeenCalledTimes(2);
		await app.waitFor('paused');
		await app.press(' ');
		expect(run.resume).toHaveBeenCalledTimes(2);
		expect(run.cancel).not.toHaveBeenCalled();
		app.unmount();
	});

	it('c asks the run to stop after the current step, and the screen says it is stopping and why', async () => {
		const {app, run, push} = mount();
		push(...halfway);
		await app.waitFor('importing');
		expect(app.frame()).toContain('c / ctrl+c stop after the current step');
		await app.press('c');
		expect(run.cancel).toHaveBeenCalledWith('cancelled from the keyboard');
		await app.waitFor('stopping: cancelled from the keyboard');
		expect(run.abort).not.toHaveBeenCalled();
		app.unmount();
	});

	it('other keys do nothing', async () => {
		const {app, run} = mount();
		await app.press('x', 'q', KEY.enter, KEY.esc);
		expect(run.pause).not.toHaveBeenCalled();
		expect(run.cancel).not.toHaveBeenCalled();
		app.unmount();
	});
});

describe('import screen: terminal', () => {
	it('fits 80 columns: no line is longer, even with long ids and messages; bars shrink to fit', async () => {
		const {app, push, above} = mount();
		resize(app.stdout, 80, 24);
		await app.until((f) => linesOf(f)[1] === '6.Summary', 'the header wraps at 80 columns (the resize is seen)');
		const long = `conversation-${'x'.repeat(90)}`;
		push(
			...halfway,
			{type: 'conversation-started', index: 9, sourceId: long, requestId: 'q9', messages: 10},
			{type: 'conversation-finished', result: result(8, 'failed', {sourceId: `${long}-failed`, error: {kind: 'server', message: `HTTP 502: ${'bad gateway '.repeat(12)}`}})},
			{type: 'retry', operation: 'POST messages/multi', attempt: 2, delayMs: 4000, reason: `socket hang up ${'while sending a large batch '.repeat(4)}`},
		);
		const frame = await app.waitFor('in 4.0 s');
		for (const line of linesOf(frame)) expect(widthOf(line)).toBeLessThanOrEqual(80);
		const conversations = lineWith(frame, /^conversations /);
		expect(blocks(conversations, symbols.barFull) + blocks(conversations, symbols.barEmpty)).toBe(40); // 80 - 40
		expect(conversations).toMatch(/ 3\/4$/);
		expect(lineWith(frame, new RegExp(`^${symbols.bullet} conversation-`))).toMatch(/x…$/); // cut at the edge, on one line
		// A finished line above is written whole (the terminal wraps it): the scrollback keeps the whole id and reason.
		expect(lineWith(await written(above, `${long}-failed`), `${long}-failed`)).toBe(`✖ FAILED    ${long}-failed HTTP 502: ${'bad gateway '.repeat(12)}`);
		app.unmount();
	});

	it('many conversations in flight: only as many as the terminal has rows for, and how many more', async () => {
		const {app, push} = mount();
		resize(app.stdout, 80, 24);
		await app.until((f) => linesOf(f)[1] === '6.Summary', 'the header wraps at 80 columns (the resize is seen)');
		push(...crowded(30));
		const frame = await app.waitFor('more in flight');
		const shown = linesOf(frame).filter((l) => l.startsWith(`${symbols.bullet} chat-`));
		expect(shown.length).toBe(24 - 14);
		expect(frame).toContain(`+ ${30 - shown.length} more in flight`);
		expect(linesOf(frame).length).toBeLessThan(24); // the live region never scrolls the terminal
		app.unmount();
	});

	it('a short terminal: the live region still fits (the header goes first, then the key hints), the progress stays', async () => {
		for (const rows of [14, 11, 9, 8]) {
			const {app, push} = mount();
			resize(app.stdout, 80, rows);
			push(...crowded(12));
			const frame = await app.waitFor('more in flight');
			expect(linesOf(frame).length, `${rows} rows:\n${frame}`).toBeLessThan(rows);
			expect(frame).toMatch(/^conversations .* 0\/30$/m);
			expect(frame).toContain('retrying GET');
			expect(frame.includes('tiledesk-import')).toBe(rows >= 15);
			expect(frame.includes('p pause')).toBe(rows >= 10);
			app.unmount();
		}
	});

	it('follows a resize', async () => {
		const {app, push} = mount();
		push(...halfway);
		await app.waitFor('run-7f3a');
		const wide = blocks(lineWith(app.frame(), /^conversations /), symbols.barFull);
		resize(app.stdout, 60, 24);
		const frame = await app.until((f) => !/░{21}/.test(f), 'the bars shrink');
		const narrow = blocks(lineWith(frame, /^conversations /), symbols.barFull);
		expect(wide).toBe(20); // half of 40
		expect(narrow).toBe(10); // half of the 20 columns left at 60
		app.unmount();
	});

	it('without colour (FORCE_COLOR=0, which NO_COLOR maps to) the frame has no escape codes and the theme has no colours', async () => {
		expect(process.env['FORCE_COLOR']).toBe('0');
		for (const colour of Object.values(theme)) expect(colour).toBeUndefined();
		const {app, push, above} = mount();
		push(...halfway);
		const frame = await app.waitFor('1 failed');
		await written(above, 'HTTP 500');
		expect(frame).not.toMatch(/\u001B\[/);
		for (const f of [...app.frames, ...above]) expect(f).not.toMatch(/\u001B\[[0-9;]*m/);
		app.unmount();
	});
});
