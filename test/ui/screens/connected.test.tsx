// The connecting and connected screens on their own: the connection test's result (project, plan, role, quota,
// where the sign-in token was kept) and the keys to go on or back.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {ConnectedScreen, ConnectingScreen} from '../../../source/ui/screens/connected-screen.js';
import {STORAGE_TEXT} from '../../../source/ui/screens/profile-form-screen.js';
import {symbols} from '../../../source/ui/theme.js';
import {SANDBOX_NAME} from '../../../source/ui/wizard/deps.js';
import type {ConnectedView, WizardState} from '../../../source/ui/wizard/machine.js';
import {KEY} from '../../helpers/render.js';
import {actions, connectedState, flat, lineWith, loaded, reduce, render, SAVED, spyDispatch} from './harness.js';

afterEach(cleanup);

function mount(view: ConnectedView, state: WizardState = connectedState(view)) {
	const dispatch = spyDispatch();
	const app = render(<ConnectedScreen state={state} dispatch={dispatch} />);
	return {app, dispatch};
}

describe('connected screen', () => {
	it('shows the project name, plan, role and this month’s quota', () => {
		const {app} = mount({projectName: 'Acme Support', plan: 'Premium', role: 'owner', monthlyLimit: 5000, quotaUsed: 1234});
		const frame = app.frame();
		expect(frame).toContain(`${symbols.ok} Connected to project "Acme Support"`);
		const details = lineWith(frame, 'plan ');
		expect(details).toContain('plan Premium');
		expect(details).toContain('your role owner');
		expect(details).toContain('conversations this month 1234 of 5000');
		expect(lineWith(frame, SAVED.email)).toContain(SAVED.apiUrl);
		app.unmount();
	});

	it('says "unknown" for what the server did not tell, and a quota without a limit as a count', () => {
		const {app} = mount({projectName: 'Bare', quotaUsed: 17});
		const details = lineWith(app.frame(), 'plan ');
		expect(details).toContain('plan unknown');
		expect(details).toContain('your role unknown');
		expect(details).toContain('17 conversations this month');
		expect(details).not.toContain(' of ');
		app.unmount();
	});

	it('a limit whose usage is unknown shows "?" rather than a made-up number', () => {
		const {app} = mount({projectName: 'Half', plan: 'Free', role: 'agent', monthlyLimit: 200});
		expect(lineWith(app.frame(), 'plan ')).toContain('conversations this month ? of 200');
		app.unmount();
	});

	it('no quota at all: no quota text', () => {
		const {app} = mount({projectName: 'None', plan: 'Free', role: 'admin'});
		const details = lineWith(app.frame(), 'plan ');
		expect(details).not.toContain('conversations');
		expect(details).toContain('your role admin');
		app.unmount();
	});

	it('says where the new sign-in token was kept', () => {
		const {app} = mount({projectName: 'Acme Support', role: 'owner', tokenStoredIn: 'file'});
		expect(flat(app.frame())).toContain(`sign-in token kept ${STORAGE_TEXT.file}`);
		app.unmount();
		const other = mount({projectName: 'Acme Support', role: 'owner'});
		expect(other.app.frame()).not.toContain('sign-in token kept');
		other.app.unmount();
	});

	it('the sandbox says it is local and that its data lives until you quit', () => {
		const state = reduce(loaded(), {type: 'choose-profile', name: SANDBOX_NAME}, {type: 'connected', view: {projectName: 'Sandbox project', role: 'owner'}, profile: {...loaded().profiles[0]!, apiUrl: 'http://127.0.0.1:40123'}});
		const {app} = mount(state.connected!, state);
		expect(app.frame()).toContain('local sandbox at http://127.0.0.1:40123 (data lives until you quit)');
		app.unmount();
	});

	it('enter goes on to the transcript, esc back to the profiles', async () => {
		const {app, dispatch} = mount({projectName: 'Acme Support'});
		expect(app.frame()).toContain('enter choose a transcript');
		await app.press(KEY.enter);
		expect(actions(dispatch)).toEqual([{type: 'continue'}]);
		await app.press(KEY.esc);
		expect(actions(dispatch)).toEqual([{type: 'continue'}, {type: 'back'}]);
		app.unmount();
	});
});

describe('connecting screen', () => {
	it('says what it is doing: server, account and project (or starting the sandbox)', () => {
		const saved = render(<ConnectingScreen state={reduce(loaded(), {type: 'choose-profile', name: SAVED.name})} />);
		expect(flat(saved.frame())).toContain(`Signing in to ${SAVED.apiUrl} as ${SAVED.email} and testing project ${SAVED.projectId}`);
		saved.unmount();
		const sandbox = render(<ConnectingScreen state={reduce(loaded(), {type: 'choose-profile', name: SANDBOX_NAME})} />);
		expect(sandbox.frame()).toContain('Starting the local sandbox and signing in');
		sandbox.unmount();
	});
});
