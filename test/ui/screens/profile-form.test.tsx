// The profile form on its own, driven through the real reducer: fields, navigation, the masked password,
// validation errors that name (and point at) the faulty field, token storage, and editing an existing profile.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {ProfileFormScreen} from '../../../source/ui/screens/profile-form-screen.js';
import {symbols} from '../../../source/ui/theme.js';
import {DEFAULT_API_URL, FORM_FIELDS, LABELS, type Action, type FormField, type WizardState} from '../../../source/ui/wizard/machine.js';
import {KEY} from '../../helpers/render.js';
import {actions, flat, lineWith, loaded, POINTER, pointerOn, reduce, render, SAVED, spyDispatch, Stateful} from './harness.js';

afterEach(cleanup);

const SHIFT_TAB = '\u001B[Z';

function mount(initial: WizardState = reduce(loaded(), {type: 'new-profile'})) {
	const spy = spyDispatch();
	const app = render(<Stateful initial={initial} spy={spy}>{(state, dispatch) => <ProfileFormScreen state={state} dispatch={dispatch} />}</Stateful>);
	return {app, spy};
}

/** The field the pointer is on, read from the frame. */
function pointed(frame: string): FormField {
	const found = FORM_FIELDS.filter((f) => {
		const line = frame.split('\n').find((l) => l.includes(` ${LABELS[f]}`) && (f !== 'apiUrl' || !l.includes('Dashboard')));
		return line !== undefined && POINTER.test(line.trimStart().slice(0, 2));
	});
	expect(found).toHaveLength(1);
	return found[0]!;
}

const changes = (spy: ReturnType<typeof spyDispatch>) => actions(spy).filter((a): a is Extract<Action, {type: 'form-change'}> => a.type === 'form-change');

describe('profile form', () => {
	it('a new profile: every field with its label, the default API URL, placeholders, the pointer on the name', () => {
		const {app} = mount();
		const frame = app.frame();
		expect(frame).toContain('New connection profile');
		for (const f of FORM_FIELDS) expect(frame).toContain(LABELS[f]);
		expect(lineWith(frame, 'API URL')).toContain(DEFAULT_API_URL);
		expect(lineWith(frame, 'Name')).toContain('e.g. Acme production');
		expect(lineWith(frame, 'Project ID')).toContain('24 hex characters from the dashboard URL');
		expect(lineWith(frame, 'E-mail')).toContain('you@company.com');
		expect(lineWith(frame, 'Keep the sign-in token')).toContain('[keychain]');
		expect(frame).toContain('The password is used once to sign in and is never stored.');
		expect(pointed(frame)).toBe('name');
		expect(frame).not.toContain(symbols.fail);
		app.unmount();
	});

	it('typing goes into the field under the pointer only; enter moves on to the next field', async () => {
		const {app, spy} = mount();
		await app.type('Acme EU');
		expect(lineWith(await app.waitFor('Acme EU'), 'Name')).toContain('Acme EU');
		expect(new Set(changes(spy).map((c) => c.field))).toEqual(new Set(['name']));
		expect(changes(spy).at(-1)?.value).toBe('Acme EU');
		await app.press(KEY.enter);
		expect(actions(spy).at(-1)).toEqual({type: 'form-move', delta: 1});
		await pointerOn(app, 'API URL');
		expect(pointed(app.frame())).toBe('apiUrl');
		await app.press('\u0015'); // ctrl+u clears the field
		await app.type('https://eu.acme.test/v3');
		const frame = await app.waitFor('https://eu.acme.test/v3');
		expect(lineWith(frame, 'API URL')).toContain('https://eu.acme.test/v3');
		expect(lineWith(frame, 'API URL')).not.toContain(DEFAULT_API_URL);
		expect(lineWith(frame, 'Name')).toContain('Acme EU');
		app.unmount();
	});

	it('tab and ↓ move forward, ↑ and shift+tab move back, and the pointer stops at both ends', async () => {
		const {app, spy} = mount();
		await app.press(KEY.tab);
		expect(pointed(await pointerOn(app, 'API URL'))).toBe('apiUrl');
		await app.press(KEY.down);
		expect(pointed(await pointerOn(app, 'Dashboard URL'))).toBe('dashboardUrl');
		await app.press(KEY.up);
		expect(pointed(await pointerOn(app, 'API URL'))).toBe('apiUrl');
		await app.press(SHIFT_TAB);
		expect(pointed(await pointerOn(app, 'Name'))).toBe('name');
		await app.press(KEY.up);
		expect(pointed(app.frame())).toBe('name');
		for (let i = 0; i < FORM_FIELDS.length + 2; i++) await app.press(KEY.tab);
		expect(pointed(await pointerOn(app, 'Keep the sign-in token'))).toBe('tokenStorage');
		expect(actions(spy).filter((a) => a.type === 'form-move').map((a) => (a as {delta: number}).delta).slice(0, 4)).toEqual([1, 1, -1, -1]);
		expect(changes(spy)).toEqual([]); // moving never types into a field
		app.unmount();
	});

	it('the password is masked: the typed password never appears in the frame', async () => {
		const {app, spy} = mount();
		const secret = 'hunter2-Sekr3t';
		for (let i = 0; i < FORM_FIELDS.indexOf('password'); i++) await app.press(KEY.down);
		await pointerOn(app, 'Password');
		expect(pointed(app.frame())).toBe('password');
		await app.type(secret);
		const frame = await app.waitFor('*'.repeat(secret.length));
		expect(lineWith(frame, 'Password')).toContain('*'.repeat(secret.length));
		expect(frame).not.toContain(secret);
		expect(frame).not.toContain('Sekr3t');
		expect(changes(spy).at(-1)).toEqual({type: 'form-change', field: 'password', value: secret});
		for (const f of app.frames) expect(f).not.toContain('Sekr3t'); // not even in an intermediate frame
		await app.press(KEY.backspace);
		await app.gone('*'.repeat(secret.length));
		expect(lineWith(app.frame(), 'Password')).toContain('*'.repeat(secret.length - 1));
		app.unmount();
	});

	it('enter on the password submits; a faulty field is named with ✖ and the pointer jumps to it', async () => {
		const {app, spy} = mount();
		await app.type('Acme EU');
		for (const next of ['API URL', 'Dashboard URL', 'Project ID']) {
			await app.press(KEY.enter); // name → API URL (default) → dashboard (empty) → project id
			await pointerOn(app, next);
		}
		await app.type('not-an-id');
		await app.press(KEY.enter);
		await pointerOn(app, 'E-mail');
		await app.type('ann@acme.test');
		await app.press(KEY.enter);
		await pointerOn(app, 'Password');
		await app.type('pw');
		await app.press(KEY.enter);
		expect(actions(spy).at(-1)).toEqual({type: 'form-submit'});
		let frame = await app.waitFor('Project ID: 24 hexadecimal characters');
		expect(lineWith(frame, 'Project ID: 24 hexadecimal')).toContain(`${symbols.fail} Project ID:`);
		expect(pointed(frame)).toBe('projectId');
		expect(lineWith(frame, 'Project ID')).toContain('not-an-id'); // what was typed stays, to be corrected
		// Correcting the field clears the error.
		await app.press(KEY.backspace);
		frame = await app.gone('24 hexadecimal characters, as in');
		expect(lineWith(frame, ' Project ID')).toContain('not-an-i');
		app.unmount();
	});

	it('an empty name is reported first, pointing at the name', async () => {
		const {app} = mount();
		for (let i = 0; i < FORM_FIELDS.indexOf('password'); i++) await app.press(KEY.down);
		await pointerOn(app, 'Password');
		await app.type('pw');
		await app.press(KEY.enter);
		const frame = await app.waitFor('Name: give the profile a name');
		expect(pointed(frame)).toBe('name');
		app.unmount();
	});

	it('a connection error after submitting is shown on the form', () => {
		const state = reduce(loaded(), {type: 'new-profile'}, {type: 'connect-failed', error: 'The server rejected the credentials (401).'});
		const {app} = mount(state);
		expect(app.frame()).toContain(`${symbols.fail} The server rejected the credentials (401).`);
		app.unmount();
	});

	it('token storage: ←/→/space cycle keychain → file → none, each explained; enter there submits', async () => {
		const {app, spy} = mount();
		for (let i = 0; i < FORM_FIELDS.length - 1; i++) await app.press(KEY.down);
		await pointerOn(app, 'Keep the sign-in token');
		expect(pointed(app.frame())).toBe('tokenStorage');
		expect(lineWith(app.frame(), 'Keep the sign-in token')).toContain('in the OS keychain');
		await app.press(KEY.right);
		let line = lineWith(await app.waitFor('[file]'), 'Keep the sign-in token');
		expect(line).toContain('[file]');
		expect(app.frame()).toContain('0600');
		expect(flat(app.frame())).toContain('anyone using your account could use it');
		await app.press(' ');
		line = lineWith(await app.waitFor('[none]'), 'Keep the sign-in token');
		expect(line).toContain('[none]');
		expect(flat(app.frame())).toContain('you will be asked for the password next time');
		await app.press(KEY.right);
		expect(lineWith(await app.waitFor('[keychain]'), 'Keep the sign-in token')).toContain('[keychain]');
		await app.press(KEY.left);
		expect(lineWith(await app.waitFor('[none]'), 'Keep the sign-in token')).toContain('[none]');
		expect(changes(spy).map((c) => [c.field, c.value])).toEqual([
			['tokenStorage', 'file'],
			['tokenStorage', 'none'],
			['tokenStorage', 'keychain'],
			['tokenStorage', 'none'],
		]);
		await app.press(KEY.enter);
		expect(actions(spy).at(-1)).toEqual({type: 'form-submit'});
		app.unmount();
	});

	it('arrows on a text field do not change the token storage', async () => {
		const {app, spy} = mount();
		await app.press(KEY.right, KEY.left, ' ');
		expect(changes(spy)).toEqual([{type: 'form-change', field: 'name', value: ' '}]);
		expect(lineWith(app.frame(), 'Keep the sign-in token')).toContain('[keychain]');
		app.unmount();
	});

	it('esc goes back without submitting', async () => {
		const {app, spy} = mount();
		await app.type('half');
		await app.press(KEY.esc);
		expect(actions(spy).at(-1)).toEqual({type: 'back'});
		expect(actions(spy).some((a) => a.type === 'form-submit')).toBe(false);
		app.unmount();
	});

	it('editing: the saved values are filled in, the password is empty and has the pointer', () => {
		const {app} = mount(reduce(loaded(), {type: 'edit-profile', name: SAVED.name}));
		const frame = app.frame();
		expect(frame).toContain(`Edit profile "${SAVED.name}"`);
		expect(lineWith(frame, ' Name')).toContain(SAVED.name);
		expect(lineWith(frame, 'API URL')).toContain(SAVED.apiUrl);
		expect(lineWith(frame, 'Project ID')).toContain(SAVED.projectId);
		expect(lineWith(frame, 'E-mail')).toContain(SAVED.email);
		expect(pointed(frame)).toBe('password');
		expect(lineWith(frame, 'Password')).not.toContain('*');
		app.unmount();
	});
});
