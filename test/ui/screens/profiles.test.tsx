// The profiles screen on its own: what it lists, and which action (or callback) each key produces.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {ProfilesScreen} from '../../../source/ui/screens/profiles-screen.js';
import {symbols} from '../../../source/ui/theme.js';
import {SANDBOX_NAME} from '../../../source/ui/wizard/deps.js';
import type {WizardState} from '../../../source/ui/wizard/machine.js';
import {KEY} from '../../helpers/render.js';
import {actions, lineWith, loaded, POINTER, pointerOn, render, SAVED, spyDispatch, STAGING} from './harness.js';

afterEach(cleanup);

function mount(state: WizardState = loaded()) {
	const dispatch = spyDispatch();
	const onDelete = vi.fn<(name: string) => void>();
	const onQuit = vi.fn<() => void>();
	const app = render(<ProfilesScreen state={state} dispatch={dispatch} onDelete={onDelete} onQuit={onQuit} />);
	return {app, dispatch, onDelete, onQuit};
}

describe('profiles screen', () => {
	it('lists the built-in sandbox first, then each saved profile with its account, server and project, then "new"', () => {
		const {app} = mount();
		const frame = app.frame();
		expect(frame).toContain('Where should the conversations go?');
		expect(frame).toContain('1.[Connection]');
		const sandbox = lineWith(frame, SANDBOX_NAME);
		expect(sandbox).toMatch(POINTER); // the pointer starts on the sandbox
		expect(sandbox).toContain('without an account');
		const acme = lineWith(frame, SAVED.name);
		expect(acme).toContain(SAVED.email);
		expect(acme).toContain(SAVED.apiUrl);
		expect(acme).toContain(`project ${SAVED.projectId}`);
		expect(lineWith(frame, STAGING.name)).toContain(STAGING.email);
		const order = [SANDBOX_NAME, SAVED.name, STAGING.name, '+ New profile'].map((t) => frame.indexOf(t));
		expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
		for (const hint of ['enter connect', 'n new', 'e edit', 'd delete', 'q quit']) expect(frame).toContain(hint);
		app.unmount();
	});

	it('shows each problem found while reading the saved profiles, with a warning sign', () => {
		const {app} = mount(loaded([SAVED], ['profiles.json entry 2: "apiUrl" is not a URL (skipped)', 'entry 4: no project id (skipped)']));
		const frame = app.frame();
		expect(lineWith(frame, 'entry 2: "apiUrl" is not a URL')).toContain(`${symbols.warn} profiles.json entry 2`);
		expect(lineWith(frame, 'entry 4: no project id')).toContain(`${symbols.warn} entry 4`);
		app.unmount();
	});

	it('with no problems, no warning line is shown', () => {
		const {app} = mount();
		expect(app.frame()).not.toContain(symbols.warn);
		app.unmount();
	});

	it('enter connects with the profile under the pointer (sandbox first, then after moving down)', async () => {
		const {app, dispatch} = mount();
		await app.press(KEY.enter);
		expect(actions(dispatch)).toEqual([{type: 'choose-profile', name: SANDBOX_NAME}]);
		await app.press(KEY.down);
		await pointerOn(app, SAVED.name);
		await app.press(KEY.enter);
		expect(actions(dispatch).at(-1)).toEqual({type: 'choose-profile', name: SAVED.name});
		app.unmount();
	});

	it('enter on "+ New profile…" and the n key both open an empty form', async () => {
		const {app, dispatch} = mount();
		await app.press('n');
		expect(actions(dispatch)).toEqual([{type: 'new-profile'}]);
		await app.press(KEY.down, KEY.down, KEY.down);
		await pointerOn(app, '+ New profile');
		await app.press(KEY.enter);
		expect(actions(dispatch)).toEqual([{type: 'new-profile'}, {type: 'new-profile'}]);
		app.unmount();
	});

	it('e edits the saved profile under the pointer, and does nothing on the built-in sandbox', async () => {
		const {app, dispatch} = mount();
		await app.press('e');
		expect(actions(dispatch)).toEqual([]);
		await app.press(KEY.down, KEY.down, 'e');
		expect(actions(dispatch)).toEqual([{type: 'edit-profile', name: STAGING.name}]);
		app.unmount();
	});

	it('d asks for confirmation first; a second d deletes that profile', async () => {
		const {app, onDelete, dispatch} = mount();
		await app.press(KEY.down, 'd');
		await app.waitFor(`Press d again to delete the profile "${SAVED.name}" (and its stored sign-in).`);
		expect(onDelete).not.toHaveBeenCalled();
		await app.press('d');
		expect(onDelete).toHaveBeenCalledTimes(1);
		expect(onDelete).toHaveBeenCalledWith(SAVED.name);
		await app.gone('Press d again');
		expect(actions(dispatch)).toEqual([]);
		app.unmount();
	});

	it('moving away cancels a pending delete, and the sandbox cannot be deleted', async () => {
		const {app, onDelete} = mount();
		await app.press('d', 'd'); // on the sandbox
		expect(app.frame()).not.toContain('Press d again');
		await app.press(KEY.down);
		await pointerOn(app, SAVED.name);
		await app.press('d');
		await app.waitFor('Press d again');
		await app.press(KEY.down); // to the staging profile: the question goes away
		await app.gone('Press d again');
		await app.press(KEY.up);
		await pointerOn(app, SAVED.name);
		await app.press('d'); // a fresh first press on Acme production asks again
		await app.waitFor(`delete the profile "${SAVED.name}"`);
		expect(onDelete).not.toHaveBeenCalled();
		app.unmount();
	});

	it('keys faster than the screen redraws (↓ ↑ d right after the question) still ask again instead of deleting', async () => {
		const {app, onDelete} = mount();
		await app.press(KEY.down);
		await pointerOn(app, SAVED.name);
		await app.press('d');
		await app.waitFor('Press d again');
		// No pause between them: the handlers of the last frame get all three (a paste, a loaded machine).
		for (const key of [KEY.down, KEY.up, 'd']) app.stdin.write(key);
		await app.waitFor(`delete the profile "${SAVED.name}"`);
		expect(onDelete).not.toHaveBeenCalled();
		app.unmount();
	});

	it('q quits without choosing anything', async () => {
		const {app, onQuit, dispatch} = mount();
		await app.press('q');
		expect(onQuit).toHaveBeenCalledTimes(1);
		expect(actions(dispatch)).toEqual([]);
		app.unmount();
	});
});
