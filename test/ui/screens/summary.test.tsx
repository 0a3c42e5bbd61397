// The summary screen on its own: counts by outcome, where the reports are, links to the dashboard, the failures
// with their reasons, and the keys (retry the failed ones, undo with a confirmation, exit).
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {RunOutcome} from '../../../source/core/import/engine.js';
import type {ConversationResult, ConversationStatus, RunTotals, StopReason} from '../../../source/core/import/events.js';
import type {Report} from '../../../source/core/import/report.js';
import {SummaryScreen, UndoingScreen} from '../../../source/ui/screens/summary-screen.js';
import {symbols} from '../../../source/ui/theme.js';
import type {WizardState} from '../../../source/ui/wizard/machine.js';
import {KEY} from '../../helpers/render.js';
import {actions, connectedState, flat, linesOf, lineWith, reduce, render, SAVED, spyDispatch} from './harness.js';

afterEach(cleanup);

const PID = SAVED.projectId;
const DASHBOARD = 'https://panel.tiledesk.com/v3/dashboard';
const requestId = (i: number) => `support-group-${PID}-${String(i).repeat(32).slice(0, 32)}`;

function results(statuses: ConversationStatus[]): ConversationResult[] {
	return statuses.map((status, index) => ({
		index,
		sourceId: `chat-${1000 + index}`,
		requestId: requestId(index),
		status,
		created: status === 'imported',
		messages: 10,
		sent: status === 'imported' ? 10 : status === 'completed' ? 4 : 0,
		alreadyPresent: status === 'completed' ? 6 : 0,
		...(status === 'failed' ? {error: {kind: 'server', message: `HTTP 500 from POST /${PID}/requests: internal error`}} : {}),
		durationMs: 100,
	}));
}

function outcome(statuses: ConversationStatus[], stop: StopReason = {kind: 'completed'}, report = true): RunOutcome {
	const rs = results(statuses);
	const byStatus = {imported: 0, completed: 0, unchanged: 0, blocked: 0, failed: 0, cancelled: 0, planned: 0};
	for (const r of rs) byStatus[r.status]++;
	const totals: RunTotals = {conversations: rs.length, messages: rs.length * 10, byStatus, messagesSent: rs.reduce((n, r) => n + r.sent, 0), messagesAlreadyPresent: 6, apiCalls: 31, retries: 2, durationMs: 3000};
	const rep = {
		schemaVersion: 1,
		tool: 'tiledesk-import/test',
		runId: 'run-7f3a',
		runs: ['run-7f3a'],
		file: 'chats.jsonl',
		format: 'jsonl',
		source: 'jsonl',
		baseUrl: SAVED.apiUrl,
		projectId: PID,
		dashboardUrl: DASHBOARD,
		startedAt: '2025-06-01T10:00:00.000Z',
		finishedAt: '2025-06-01T10:00:03.000Z',
		stop: {...stop},
		totals: {...totals},
		options: {},
		// The completed one was created by an earlier run of the same job: undo removes it too.
		conversations: rs.map((r) => ({...r, link: '', ...(r.status === 'completed' ? {createdBy: 'run-0001'} : {})})),
	} as Report;
	return {runId: 'run-7f3a', totals, stop, results: rs, ...(report ? {report: rep} : {}), reportPaths: report ? ['/work/reports/chats.import-run-7f3a.json', '/work/reports/chats.import-run-7f3a.csv'] : []};
}

function summaryState(o: RunOutcome | undefined, error?: string): WizardState {
	const s = reduce(connectedState(), {type: 'continue'});
	return {...s, step: 'summary', ...(o ? {outcome: o} : {}), ...(error ? {error} : {})};
}

function mount(state: WizardState) {
	const dispatch = spyDispatch();
	const onExit = vi.fn<() => void>();
	const app = render(<SummaryScreen state={state} dispatch={dispatch} onExit={onExit} />);
	return {app, dispatch, onExit};
}

const MIXED: ConversationStatus[] = ['imported', 'imported', 'completed', 'failed', 'cancelled', 'unchanged', 'imported', 'imported'];

describe('summary screen', () => {
	it('counts each outcome, messages sent, API calls and retries; a stopped run says nothing is lost', () => {
		const {app} = mount(summaryState(outcome(MIXED, {kind: 'cancelled'})));
		const frame = app.frame();
		expect(frame).toContain('6.[Summary]');
		expect(flat(frame)).toContain('Stopped in 3.0 s: 4 imported, 1 completed, 1 unchanged, 1 failed, 1 stopped — 44 messages sent, 31 API calls, 2 retries');
		expect(flat(frame)).toContain('Nothing is lost: running the same import again resumes where this one stopped.');
		app.unmount();
	});

	it('says where the reports are', () => {
		const {app} = mount(summaryState(outcome(MIXED)));
		const lines = linesOf(app.frame());
		expect(lines).toContain('Report (every conversation with its Tiledesk link):');
		expect(lines).toContain('  /work/reports/chats.import-run-7f3a.json');
		expect(lines).toContain('  /work/reports/chats.import-run-7f3a.csv');
		app.unmount();
	});

	it('links a few imported conversations to the dashboard, each link whole (usable to open or copy)', () => {
		const {app} = mount(summaryState(outcome(MIXED)));
		const frame = app.frame();
		expect(frame).toContain('Open in Tiledesk:');
		const imported = results(MIXED).filter((r) => r.status === 'imported' || r.status === 'completed');
		const lines = linesOf(frame);
		for (const r of imported.slice(0, 3)) {
			const url = `${DASHBOARD}/#/project/${PID}/wsrequest/${r.requestId}/messages`;
			expect(url.length).toBeGreaterThan(100); // real links are longer than a terminal line
			const at = lines.indexOf(`  ${r.sourceId}:`);
			expect(at).toBeGreaterThan(0);
			// The link follows, whole: split only by line breaks (no ellipsis, no indentation inside it).
			let joined = '';
			for (const l of lines.slice(at + 1)) {
				if (joined.length >= url.length) break;
				joined += l;
			}
			expect(joined).toBe(url);
		}
		for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100); // and nothing runs past the terminal
		for (const r of imported.slice(3)) expect(frame).not.toContain(`${r.sourceId}:`); // at most 3
		expect(frame).not.toContain('chat-1003: https'); // a failed one is not linked
		app.unmount();
	});

	it('lists the failures with their reasons', () => {
		const {app} = mount(summaryState(outcome(MIXED)));
		expect(lineWith(app.frame(), 'chat-1003:')).toBe(`${symbols.fail} chat-1003: HTTP 500 from POST /${PID}/requests: internal error`);
		app.unmount();
	});

	it('a complete run: "Done", no resume note, no retry offered (r does nothing)', async () => {
		const {app, dispatch} = mount(summaryState(outcome(['imported', 'imported', 'unchanged'])));
		const frame = app.frame();
		expect(frame).toMatch(/^Done in 3\.0 s: 2 imported, 1 unchanged — 20 messages sent/m);
		expect(frame).not.toContain('Nothing is lost');
		expect(frame).not.toContain('retry');
		await app.press('r');
		expect(actions(dispatch)).toEqual([]);
		app.unmount();
	});

	it('r retries the failed and stopped conversations', async () => {
		const {app, dispatch} = mount(summaryState(outcome(MIXED, {kind: 'cancelled'})));
		expect(app.frame()).toContain('r retry 2 failed/stopped');
		await app.press('r');
		expect(actions(dispatch)).toEqual([{type: 'retry-failed'}]);
		app.unmount();
	});

	it('u asks first (saying how many conversations it deletes); only a second u undoes', async () => {
		const {app, dispatch} = mount(summaryState(outcome(MIXED)));
		expect(app.frame()).toContain('u undo this import');
		await app.press('u');
		const frame = await app.waitFor('Press u again');
		expect(flat(frame)).toContain(`${symbols.warn} Press u again to delete the 5 conversations this import created. This cannot be undone.`);
		expect(actions(dispatch)).toEqual([]);
		await app.press('u');
		expect(actions(dispatch)).toEqual([{type: 'undo'}]);
		app.unmount();
	});

	it('nothing created (a dry run, or all unchanged): no undo offered, u does nothing', async () => {
		const {app, dispatch} = mount(summaryState(outcome(['unchanged', 'planned'])));
		expect(app.frame()).not.toContain('undo');
		await app.press('u', 'u');
		expect(actions(dispatch)).toEqual([]);
		expect(app.frame()).not.toContain('Press u again');
		app.unmount();
	});

	it('after an undo: how many were deleted (and how many could not be), and no second undo', async () => {
		const state = reduce({...summaryState(outcome(MIXED)), step: 'summary'}, {type: 'undo'}, {type: 'undo-finished', deleted: 4, failed: 1});
		const {app, dispatch} = mount(state);
		const frame = app.frame();
		expect(frame).toContain(`${symbols.ok} Undo: 4 conversations deleted, 1 could not be deleted.`);
		expect(frame).not.toContain('u undo');
		await app.press('u', 'u');
		expect(actions(dispatch)).toEqual([]);
		app.unmount();
	});

	it('an undo that was refused says why', () => {
		const state = reduce(summaryState(outcome(MIXED)), {type: 'undo'}, {type: 'undo-finished', deleted: 0, failed: 0, message: 'Undo needs the owner role; your role in this project is agent.'});
		const {app} = mount(state);
		expect(flat(app.frame())).toContain('Undo needs the owner role; your role in this project is agent.');
		app.unmount();
	});

	it('a fatal stop shows the error', () => {
		const {app} = mount(summaryState(outcome(['imported', 'failed'], {kind: 'fatal', error: {kind: 'quota', message: 'The monthly conversation quota is used up (100 of 100).'}})));
		const frame = app.frame();
		expect(frame).toMatch(/^Stopped by an error in 3\.0 s: 1 imported, 1 failed/m);
		expect(frame).toContain(`${symbols.fail} The monthly conversation quota is used up (100 of 100).`);
		expect(frame).toContain('Nothing is lost');
		app.unmount();
	});

	it('when the import could not run at all, it says why', async () => {
		const {app, onExit, dispatch} = mount(summaryState(undefined, 'Not connected or no transcript chosen.'));
		expect(app.frame()).toContain(`${symbols.fail} The import could not run: Not connected or no transcript chosen.`);
		expect(app.frame()).toContain('q quit');
		await app.press('r', 'u', 'q');
		expect(onExit).toHaveBeenCalledTimes(1);
		expect(actions(dispatch)).toEqual([]);
		app.unmount();
	});

	it('q, enter and esc exit', async () => {
		for (const key of ['q', KEY.enter, KEY.esc]) {
			const {app, onExit, dispatch} = mount(summaryState(outcome(MIXED)));
			await app.press(key);
			expect(onExit).toHaveBeenCalledTimes(1);
			expect(actions(dispatch)).toEqual([]);
			app.unmount();
		}
	});
});

describe('undoing screen', () => {
	it('says what it is deleting', () => {
		const app = render(<UndoingScreen />);
		expect(app.frame()).toContain('Deleting the conversations this import created');
		app.unmount();
	});
});
