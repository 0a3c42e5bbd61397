// The options, planning and confirm screens on their own: each option's value and effect said in words, the
// mode and option actions the keys dispatch, and the plan stated plainly before anything is written.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {importOptions, type ImportOptionsInput} from '../../../source/core/import/options.js';
import type {Plan} from '../../../source/core/import/plan.js';
import {ConfirmScreen, OptionsScreen, PlanningScreen} from '../../../source/ui/screens/options-screen.js';
import {symbols} from '../../../source/ui/theme.js';
import type {WizardState} from '../../../source/ui/wizard/machine.js';
import {KEY} from '../../helpers/render.js';
import {actions, connectedState, flat, lineWith, POINTER, pointerOn, reduce, render, SAVED, spyDispatch, Stateful} from './harness.js';

afterEach(cleanup);

function optionsState(): WizardState {
	const state = reduce(
		connectedState(),
		{type: 'continue'},
		{type: 'file-chosen', path: 'exports/chats.jsonl'},
		{type: 'scan-done', scan: {bytesRead: 1, totalBytes: 1, conversations: 8, messages: 76, done: true}},
		{type: 'continue'},
	);
	expect(state.step).toBe('options');
	return state;
}

function mountOptions(initial: WizardState = optionsState()) {
	const spy = spyDispatch();
	const app = render(<Stateful initial={initial} spy={spy}>{(state, dispatch) => <OptionsScreen state={state} dispatch={dispatch} />}</Stateful>);
	return {app, spy};
}

const row = (frame: string, label: string) => lineWith(frame, new RegExp(`^. ${label} `));

describe('options screen', () => {
	it('lists every choice with its current value; the safe defaults are said in words', () => {
		const {app} = mountOptions();
		const frame = app.frame();
		expect(frame).toContain('How should the import behave?');
		expect(frame).toContain('4.[Options]');
		expect(row(frame, 'What to do')).toMatch(POINTER);
		expect(row(frame, 'What to do')).toContain('‹ import everything ›');
		expect(frame).not.toContain('Demo size'); // only for a demo
		expect(row(frame, 'Assign to')).toContain('me (no routing)');
		expect(row(frame, 'Customer e-mails')).toContain('left out (safe)');
		expect(row(frame, 'After import')).toContain('leave open');
		expect(row(frame, 'Message order')).toContain('fast (batches)');
		expect(row(frame, 'In flight')).toContain('auto (8 on a near server, more on a far one)');
		expect(flat(frame)).toContain('a dry run checks access, quota and what already exists');
		for (const hint of ['←→ change', 'enter review the plan', 'esc back']) expect(frame).toContain(hint);
		app.unmount();
	});

	it('→/← on "What to do" cycle import → demo → dry run; a demo shows its size', async () => {
		const {app, spy} = mountOptions();
		await app.press(KEY.right);
		expect(actions(spy)).toEqual([{type: 'mode-set', mode: 'demo'}]);
		let frame = await app.waitFor('demo: only the first 5');
		expect(row(frame, 'Demo size')).toContain('5 conversations');
		await app.press(KEY.right);
		frame = await app.waitFor('dry run: check only, write nothing');
		expect(row(frame, 'What to do')).toContain('dry run: check only, write nothing');
		expect(frame).not.toContain('Demo size');
		await app.press(KEY.right);
		expect(row(await app.waitFor('import everything'), 'What to do')).toContain('import everything');
		await app.press(KEY.left);
		expect(row(await app.waitFor('dry run'), 'What to do')).toContain('dry run');
		expect(actions(spy).map((a) => (a.type === 'mode-set' ? a.mode : a.type))).toEqual(['demo', 'dry-run', 'import', 'dry-run']);
		app.unmount();
	});

	it('the demo size goes up and down with +/− (never below 1)', async () => {
		const {app, spy} = mountOptions();
		await app.press(KEY.right);
		await app.waitFor('Demo size');
		await app.press(KEY.down);
		await pointerOn(app, 'Demo size');
		await app.press('+');
		expect(row(await app.waitFor('‹ 6 conversations ›'), 'Demo size')).toContain('6 conversations');
		expect(actions(spy).at(-1)).toEqual({type: 'mode-set', mode: 'demo', demoCount: 6});
		for (let n = 5; n >= 1; n--) {
			await app.press('-');
			await app.waitFor(`‹ ${n} conversations ›`);
		}
		await app.press('-', '-'); // not below 1
		expect(row(app.frame(), 'Demo size')).toContain('1 conversations');
		expect(row(app.frame(), 'What to do')).toContain('demo: only the first 1');
		app.unmount();
	});

	it('each option row dispatches its own option change', async () => {
		const {app, spy} = mountOptions();
		await app.press(KEY.down);
		await pointerOn(app, 'Assign to');
		expect(flat(app.frame())).toContain('no bot joins and answers imported messages');
		await app.press(KEY.right);
		await app.waitFor('Tiledesk routing');
		await app.press(KEY.down);
		await pointerOn(app, 'Customer e-mails');
		await app.press(' ');
		expect(row(await app.waitFor('‹ kept ›'), 'Customer e-mails')).toContain('kept');
		expect(flat(app.frame())).toContain('can e-mail real customers');
		await app.press(KEY.down);
		await pointerOn(app, 'After import');
		await app.press(KEY.right);
		expect(row(await app.waitFor('close each conversation'), 'After import')).toContain('close each conversation');
		await app.press(KEY.down);
		await pointerOn(app, 'Message order');
		await app.press(KEY.left);
		expect(row(await app.waitFor('strict (one by one)'), 'Message order')).toContain('strict (one by one)');
		await app.press(KEY.down);
		await pointerOn(app, 'In flight');
		await app.press('+');
		await app.waitFor('9 conversations at once'); // from auto: 8, the near-server choice, plus one
		await app.press('+');
		expect(row(await app.waitFor('10 conversations at once'), 'In flight')).toContain('10 conversations at once');
		const options = actions(spy).filter((a) => a.type === 'option-set').map((a) => (a as {options: Partial<ImportOptionsInput>}).options);
		expect(options).toEqual([{participants: 'routing'}, {requesterEmail: 'keep'}, {close: true}, {order: 'strict'}, {concurrency: 9}, {concurrency: 10}]);
		expect(actions(spy).some((a) => a.type === 'mode-set')).toBe(false);
		app.unmount();
	});

	it('conversations in flight stay between 1 and 16', async () => {
		const {app} = mountOptions();
		for (let i = 0; i < 6; i++) await app.press(KEY.down);
		await pointerOn(app, 'In flight');
		for (let n = 7; n >= 1; n--) {
			await app.press('-');
			await app.waitFor(`${n} conversations at once`);
		}
		await app.press('-', '-');
		expect(row(app.frame(), 'In flight')).toContain('1 conversations at once');
		for (let n = 2; n <= 16; n++) {
			await app.press('+');
			await app.waitFor(`${n} conversations at once`);
		}
		await app.press('+', '+');
		expect(row(app.frame(), 'In flight')).toContain('16 conversations at once');
		await app.press(KEY.down); // already the last row
		expect(row(app.frame(), 'In flight')).toMatch(POINTER);
		app.unmount();
	});

	it('enter or c reviews the plan; esc goes back to the preview', async () => {
		const {app, spy} = mountOptions(optionsState());
		await app.press('c');
		expect(actions(spy)).toEqual([{type: 'continue'}]);
		app.unmount();
		const again = mountOptions();
		await again.app.press(KEY.enter);
		expect(actions(again.spy)).toEqual([{type: 'continue'}]);
		await again.app.press(KEY.esc);
		expect(actions(again.spy).at(-1)).toEqual({type: 'back'});
		again.app.unmount();
	});

	it('a plan that could not be made is explained', () => {
		const state = reduce(optionsState(), {type: 'continue'}, {type: 'plan-failed', error: 'Your role in this project is agent: importing needs admin or owner.'});
		const {app} = mountOptions(state);
		expect(flat(app.frame())).toContain(`${symbols.fail} Your role in this project is agent: importing needs admin or owner.`);
		app.unmount();
	});
});

describe('planning screen', () => {
	it('says what it is working out', () => {
		const app = render(<PlanningScreen />);
		expect(flat(app.frame())).toContain('Working out the plan (calls, time, quota, what an earlier run already did)');
		app.unmount();
	});
});

const PLAN: Plan = {
	file: 'exports/chats.jsonl',
	format: 'jsonl',
	source: 'jsonl',
	projectId: SAVED.projectId,
	projectName: 'Acme Support',
	inFile: 8,
	conversations: 8,
	messages: 76,
	blocked: 0,
	alreadyDone: 3,
	calls: 42,
	bytes: 51_200,
	estimatedMs: 65_000,
	newConversationsAtMost: 5,
	quota: {used: 97, limit: 100, remaining: 3},
	unknownIds: [],
	options: importOptions({}),
};

function confirmState(plan: Plan, mode: WizardState['mode'] = 'import'): WizardState {
	return reduce(optionsState(), {type: 'mode-set', mode}, {type: 'continue'}, {type: 'plan-ready', plan});
}

function mountConfirm(state: WizardState) {
	const dispatch = spyDispatch();
	const app = render(<ConfirmScreen state={state} dispatch={dispatch} />);
	return {app, dispatch};
}

describe('confirm screen', () => {
	it('states the plan plainly: file → project, conversations, messages, calls, size, time, quota, what is already done', () => {
		const {app} = mountConfirm(confirmState(PLAN));
		const frame = flat(app.frame());
		expect(frame).toContain('This is what will happen');
		expect(frame).toContain(`exports/chats.jsonl (jsonl) → project "Acme Support" (${SAVED.projectId})`);
		expect(frame).toContain('8 conversations with 76 messages to import');
		expect(frame).toContain('3 conversations already imported by an earlier run of this job: skipped');
		expect(frame).toContain('about 42 API calls, 50 KB sent, 1 min 5 s with 4 in flight');
		expect(frame).toContain('up to 5 new Tiledesk conversations (each counts against the monthly conversation quota)');
		expect(frame).toContain('monthly quota: 97 of 100 used — NOT ENOUGH for 5: the run will stop when it is used up');
		expect(frame).toContain('conversations assigned to you as the only participant (no routing, no bot replies)');
		expect(frame).toContain('requester e-mails left out (no offline e-mails to customers)');
		expect(frame).toContain('messages in batches of up to 100 (fast); conversations left open after import');
		expect(frame).toContain('enter/y start the import');
		expect(frame).not.toContain('Dry run');
		app.unmount();
	});

	it('says what is left out and warns about routing and kept e-mails', () => {
		const plan: Plan = {...PLAN, inFile: 10, blocked: 2, alreadyDone: 0, newConversationsAtMost: 8, quota: {used: 10, limit: 1000, remaining: 990}, options: importOptions({participants: 'routing', requesterEmail: 'keep', order: 'strict', close: true})};
		const {app} = mountConfirm(confirmState(plan));
		const frame = flat(app.frame());
		expect(frame).toContain('8 conversations with 76 messages to import');
		expect(frame).toContain('2 conversations left out: the transcript has errors for them');
		expect(frame).toContain('monthly quota: 10 of 1000 used');
		expect(frame).not.toContain('NOT ENOUGH');
		expect(frame).not.toContain('already imported');
		expect(frame).toContain('Tiledesk routing (a department bot may join and reply!)');
		expect(frame).toContain('requester e-mails KEPT (Tiledesk may e-mail customers about agent messages)');
		expect(frame).toContain('messages one by one in order (strict); conversations closed after import');
		app.unmount();
	});

	it('a dry run says nothing will be written, and enter checks', () => {
		const {app} = mountConfirm(confirmState(PLAN, 'dry-run'));
		const frame = flat(app.frame());
		expect(frame).toContain('Dry run — nothing will be written.');
		expect(frame).toContain('enter/y check');
		app.unmount();
	});

	it('everything already imported: the run will only confirm it', () => {
		const {app} = mountConfirm(confirmState({...PLAN, alreadyDone: 8, newConversationsAtMost: 0}));
		expect(flat(app.frame())).toContain(`${symbols.ok} Everything in this file is already imported: the run will only confirm it.`);
		app.unmount();
		const some = mountConfirm(confirmState(PLAN));
		expect(some.app.frame()).not.toContain('Everything in this file is already imported');
		some.app.unmount();
	});

	it('enter or y starts the import; esc or n goes back to the options', async () => {
		for (const [key, expected] of [
			[KEY.enter, 'start-import'],
			['y', 'start-import'],
			[KEY.esc, 'back'],
			['n', 'back'],
		] as const) {
			const {app, dispatch} = mountConfirm(confirmState(PLAN));
			await app.press(key);
			expect(actions(dispatch)).toEqual([{type: expected}]);
			app.unmount();
		}
	});

	it('other keys do nothing (no accidental start)', async () => {
		const {app, dispatch} = mountConfirm(confirmState(PLAN));
		await app.press('x', ' ', 'c', KEY.down);
		expect(actions(dispatch)).toEqual([]);
		app.unmount();
	});
});
