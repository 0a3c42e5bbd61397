// The mapping screen on its own: who is the business side (agents, bots) of a chat export, and the day/month
// order of ambiguous dates; what it dispatches when applied.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {MappingScreen} from '../../../source/ui/screens/mapping-screen.js';
import type {MappingNeeds, WizardState} from '../../../source/ui/wizard/machine.js';
import type {ReadOptions} from '../../../source/core/readers/types.js';
import {KEY} from '../../helpers/render.js';
import {actions, connectedState, flat, lineWith, POINTER, reduce, render, spyDispatch} from './harness.js';

afterEach(cleanup);

const PEOPLE = ['Mario Rossi', 'Acme Support', 'Order Bot'];

function mappingState(mapping: MappingNeeds, readOptions: ReadOptions = {}): WizardState {
	const state = reduce({...connectedState(), readOptions}, {type: 'continue'}, {type: 'file-chosen', path: 'WhatsApp Chat.txt'}, {type: 'scan-done', scan: {bytesRead: 10, totalBytes: 10, conversations: 1, messages: 9, done: true}, mapping});
	expect(state.step).toBe('mapping');
	return state;
}

function mount(state: WizardState) {
	const dispatch = spyDispatch();
	const app = render(<MappingScreen state={state} dispatch={dispatch} />);
	return {app, dispatch};
}

const roleOf = (frame: string, person: string) => lineWith(frame, person).trim().split(/\s+/).at(-1);

describe('mapping screen', () => {
	it('lists the participants with a role each: the first as customer, the others as agents', () => {
		const {app} = mount(mappingState({participants: PEOPLE, dateOrder: true}));
		const frame = app.frame();
		expect(frame).toContain('A few things this export cannot tell by itself');
		expect(flat(frame)).toContain('Agents and bots are your side.');
		expect(roleOf(frame, 'Mario Rossi')).toBe('customer');
		expect(roleOf(frame, 'Acme Support')).toBe('agent');
		expect(roleOf(frame, 'Order Bot')).toBe('agent');
		expect(lineWith(frame, 'Mario Rossi')).toMatch(POINTER);
		for (const hint of ['space switch role', 'o date order', 'c apply and preview', 'esc back']) expect(frame).toContain(hint);
		app.unmount();
	});

	it('space (or enter) switches the role under the pointer: customer → agent → bot → customer', async () => {
		const {app, dispatch} = mount(mappingState({participants: PEOPLE}));
		await app.press(' ');
		expect(roleOf(await app.waitFor(/Mario Rossi +agent/), 'Mario Rossi')).toBe('agent');
		await app.press(' ');
		expect(roleOf(await app.waitFor(/Mario Rossi +bot/), 'Mario Rossi')).toBe('bot');
		await app.press(KEY.enter);
		expect(roleOf(await app.waitFor(/Mario Rossi +customer/), 'Mario Rossi')).toBe('customer');
		await app.press(KEY.down, KEY.down, ' ');
		const frame = await app.waitFor(/Order Bot +bot/);
		expect(roleOf(frame, 'Order Bot')).toBe('bot');
		expect(roleOf(frame, 'Acme Support')).toBe('agent');
		expect(actions(dispatch)).toEqual([]); // nothing is applied until c
		app.unmount();
	});

	it('c applies the roles (agents and bots) and the date order, which re-reads the file', async () => {
		const {app, dispatch} = mount(mappingState({participants: PEOPLE, dateOrder: true}));
		await app.press(KEY.down, KEY.down, ' ', 'o');
		await app.waitFor(/Order Bot +bot/);
		await app.waitFor('month first');
		await app.press('c');
		expect(actions(dispatch)).toEqual([{type: 'mapping-set', readOptions: {agents: ['Acme Support'], bots: ['Order Bot'], dateOrder: 'mdy'}}]);
		app.unmount();
	});

	it('o cycles the date order, each said in words with an example', async () => {
		const {app} = mount(mappingState({dateOrder: true}));
		const line = () => lineWith(app.frame(), 'Dates like 03/04/25');
		expect(line()).toContain('day first (03/04/25 = 3 April 2025)');
		expect(line()).toContain('(o to change)');
		await app.press('o');
		await app.waitFor('month first (03/04/25 = March 4, 2025)');
		await app.press('o');
		await app.waitFor('year first (25/04/03 = 3 April 2025)');
		await app.press('o');
		expect(lineWith(await app.waitFor('day first'), 'Dates like')).toContain('day first (03/04/25 = 3 April 2025)');
		app.unmount();
	});

	it('only the date order to ask: no participant list, and enter applies it', async () => {
		const {app, dispatch} = mount(mappingState({dateOrder: true}));
		expect(app.frame()).not.toContain('Who is who?');
		expect(app.frame()).not.toContain('space switch role');
		await app.press('o');
		await app.waitFor('month first');
		await app.press(KEY.enter);
		expect(actions(dispatch)).toEqual([{type: 'mapping-set', readOptions: {dateOrder: 'mdy'}}]);
		app.unmount();
	});

	it('the date order starts from the one already chosen', async () => {
		const {app, dispatch} = mount(mappingState({dateOrder: true}, {dateOrder: 'ymd'}));
		expect(lineWith(app.frame(), 'Dates like')).toContain('year first');
		await app.press('c');
		expect(actions(dispatch)).toEqual([{type: 'mapping-set', readOptions: {dateOrder: 'ymd'}}]);
		app.unmount();
	});

	it('only participants to ask: no date order line, o does nothing, and none is sent', async () => {
		const {app, dispatch} = mount(mappingState({participants: PEOPLE}));
		expect(app.frame()).not.toContain('Dates like');
		expect(app.frame()).not.toContain('o date order');
		await app.press('o', 'c');
		expect(actions(dispatch)).toEqual([{type: 'mapping-set', readOptions: {agents: ['Acme Support', 'Order Bot'], bots: []}}]);
		app.unmount();
	});

	it('esc goes back to the file', async () => {
		const {app, dispatch} = mount(mappingState({participants: PEOPLE}));
		await app.press(KEY.esc);
		expect(actions(dispatch)).toEqual([{type: 'back'}]);
		app.unmount();
	});
});
