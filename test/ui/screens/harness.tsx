// Shared pieces of the per-screen tests: wizard states built with the real reducer, a spy dispatch (optionally
// wired to the real reducer so the screen re-renders with the state its actions produce), terminal resizing for
// ink-testing-library's fixed 100-column stdout, and small frame helpers.
import type {EventEmitter} from 'node:events';
import {useReducer, type ReactElement} from 'react';
import {vi} from 'vitest';
import {sandboxProfile} from '../../../source/ui/wizard/deps.js';
import {render as renderApp} from '../../helpers/render.js';
import {initialState, wizardReducer, type Action, type ProfileView, type WizardState} from '../../../source/ui/wizard/machine.js';

export const SAVED: ProfileView = {name: 'Acme production', apiUrl: 'https://api.acme.test/v3', projectId: '6b062dde0fe55021d73267f8', email: 'ann@acme.test', tokenStorage: 'keychain'};
export const STAGING: ProfileView = {name: 'Acme staging', apiUrl: 'https://staging.acme.test/v3', projectId: '65f0a1b2c3d4e5f6a7b8c9d0', email: 'bob@acme.test', tokenStorage: 'file'};

export const reduce = (state: WizardState, ...actions: Action[]): WizardState => actions.reduce(wizardReducer, state);

/** The wizard as it starts: the built-in sandbox plus saved profiles (and any problems reading them). */
export function loaded(profiles: ProfileView[] = [SAVED, STAGING], problems: string[] = []): WizardState {
	return reduce(initialState(), {type: 'profiles-loaded', profiles: [sandboxProfile(), ...profiles], problems});
}

/** Signed in to SAVED with the given connection view. */
export function connectedState(view: WizardState['connected'] = {projectName: 'Acme Support', plan: 'Premium', role: 'owner'}): WizardState {
	return reduce(loaded(), {type: 'choose-profile', name: SAVED.name}, {type: 'connected', view: view!});
}

export function spyDispatch() {
	return vi.fn<(a: Action) => void>();
}

/** Every action the spy saw, in order. */
export const actions = (spy: ReturnType<typeof spyDispatch>): Action[] => spy.mock.calls.map((c) => c[0]);

/**
 * Renders `children(state, dispatch)` with the real reducer behind the dispatch, so the screen sees the state its
 * own actions produce (typed characters appear, the pointer moves). `spy` sees every action first.
 */
export function Stateful({initial, spy, children}: {initial: WizardState; spy: (a: Action) => void; children(state: WizardState, dispatch: (a: Action) => void): ReactElement}) {
	const [state, dispatch] = useReducer(wizardReducer, initial);
	return children(state, (a) => {
		spy(a);
		dispatch(a);
	});
}

/** ink-testing-library's stdout always says 100 columns and no rows; give it a size and tell the app it changed. */
export function resize(stdout: EventEmitter, columns: number, rows = 24): void {
	Object.defineProperty(stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(stdout, 'rows', {value: rows, configurable: true});
	stdout.emit('resize');
}

export const linesOf = (frame: string): string[] => frame.split('\n');
/** Display width of a plain (colourless) line: every symbol these screens use is one column wide. */
export const widthOf = (line: string): number => [...line].length;

/** The line of the frame that contains `text` (fails the test with the frame when there is none). */
export function lineWith(frame: string, text: string | RegExp): string {
	const line = linesOf(frame).find((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)));
	if (line === undefined) throw new Error(`no line with ${String(text)} in:\n${frame}`);
	return line;
}

/** The frame as one line with runs of whitespace collapsed: for sentences that wrap. */
export const flat = (frame: string): string => frame.replace(/\s+/g, ' ');

export const POINTER = /[❯>] /;

/**
 * Lets React run the effects of the last render. Ink (re)subscribes input handlers in effects, after the frame is
 * written: a key sent as soon as a frame shows a new mode (a search field, another focused field) can still reach
 * the previous render's handler on a busy machine.
 */
export async function settle(): Promise<void> {
	await new Promise((r) => setImmediate(r));
	await new Promise((r) => setTimeout(r, 10));
}

/** Our render helper, with a `waitFor` that also lets the shown frame's effects run, and a `type` that starts settled. */
export function render(element: ReactElement) {
	const app = renderApp(element);
	return {
		...app,
		async waitFor(what: string | RegExp, timeoutMs?: number): Promise<string> {
			const frame = await app.waitFor(what, timeoutMs);
			await settle();
			return frame;
		},
		/** Waits until `ok(frame)` holds (for conditions a string or pattern cannot say). */
		async until(ok: (frame: string) => boolean, what: string, timeoutMs = 8000): Promise<string> {
			const deadline = Date.now() + timeoutMs;
			while (!ok(app.frame())) {
				if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; last frame:\n${app.frame()}`);
				await new Promise((r) => setTimeout(r, 20));
			}
			await settle();
			return app.frame();
		},
		/** Waits until the frame no longer contains `what`. */
		async gone(what: string | RegExp, timeoutMs = 8000): Promise<string> {
			const deadline = Date.now() + timeoutMs;
			const has = (f: string) => (typeof what === 'string' ? f.includes(what) : what.test(f));
			while (has(app.frame())) {
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(what)} to go; last frame:\n${app.frame()}`);
				await new Promise((r) => setTimeout(r, 20));
			}
			await settle();
			return app.frame();
		},
		async type(text: string): Promise<void> {
			await settle();
			await app.type(text);
		},
	};
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Waits until the pointer is on the line that starts with `text` (after the pointer). Ink re-subscribes input
 * handlers in an effect after each render, so a key sent before that lands in the previous render's handler:
 * tests wait for the screen to show a move before sending the key that acts on it.
 */
export function pointerOn(app: {waitFor(what: RegExp): Promise<string>}, text: string): Promise<string> {
	return app.waitFor(new RegExp(`^\\s*[❯>] +${escape(text)}`, 'm'));
}
