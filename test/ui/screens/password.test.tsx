// The password screen on its own: which account it signs in to, the masked password, submit and back.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {PasswordScreen} from '../../../source/ui/screens/password-screen.js';
import {symbols} from '../../../source/ui/theme.js';
import type {WizardState} from '../../../source/ui/wizard/machine.js';
import {KEY} from '../../helpers/render.js';
import {actions, lineWith, loaded, reduce, render, SAVED, spyDispatch} from './harness.js';

afterEach(cleanup);

const asking = (error = '') => reduce(loaded(), {type: 'choose-profile', name: SAVED.name}, {type: 'connect-failed', error, needPassword: true});

function mount(state: WizardState = asking()) {
	const dispatch = spyDispatch();
	const app = render(<PasswordScreen state={state} dispatch={dispatch} />);
	return {app, dispatch};
}

describe('password screen', () => {
	it('says which profile, account, server and project it signs in to', () => {
		const {app} = mount();
		const frame = app.frame();
		expect(frame).toContain(`Sign in to "${SAVED.name}"`);
		const account = lineWith(frame, SAVED.email);
		expect(account).toContain(SAVED.apiUrl);
		expect(account).toContain(`project ${SAVED.projectId}`);
		expect(frame).toContain('Password:');
		expect(frame).not.toContain(symbols.fail); // no error on a first ask
		expect(frame).toContain('enter sign in');
		expect(frame).toContain('esc back');
		app.unmount();
	});

	it('masks what is typed and submits the real password on enter', async () => {
		const {app, dispatch} = mount();
		const secret = 'c0rrect-Horse';
		await app.type(secret);
		const frame = await app.waitFor('*'.repeat(secret.length));
		expect(lineWith(frame, 'Password:')).toContain('*'.repeat(secret.length));
		for (const f of app.frames) expect(f).not.toContain('Horse');
		expect(actions(dispatch)).toEqual([]); // nothing is sent while typing
		await app.press(KEY.enter);
		expect(actions(dispatch)).toEqual([{type: 'password-submitted', password: secret}]);
		app.unmount();
	});

	it('backspace removes the last character (one star less)', async () => {
		const {app, dispatch} = mount();
		await app.type('abcd');
		await app.waitFor('****');
		await app.press(KEY.backspace);
		expect(lineWith(await app.gone('****'), 'Password:')).toMatch(/Password: \*\*\*(?!\*)/);
		await app.press(KEY.enter);
		expect(actions(dispatch)).toEqual([{type: 'password-submitted', password: 'abc'}]);
		app.unmount();
	});

	it('enter with an empty password sends nothing', async () => {
		const {app, dispatch} = mount();
		await app.press(KEY.enter);
		expect(actions(dispatch)).toEqual([]);
		app.unmount();
	});

	it('shows why the password is asked again (an expired stored sign-in, a wrong password)', () => {
		const {app} = mount(asking('The stored sign-in is no longer valid: enter the password again.'));
		expect(app.frame()).toContain(`${symbols.fail} The stored sign-in is no longer valid: enter the password again.`);
		app.unmount();
	});

	it('esc goes back to the profiles', async () => {
		const {app, dispatch} = mount();
		await app.press(KEY.esc);
		expect(actions(dispatch)).toEqual([{type: 'back'}]);
		app.unmount();
	});
});
