// The whole wizard, rendered with ink-testing-library and driven by keys, against an in-process sandbox: from the
// sandbox profile to a finished import, then the sandbox's state is checked. Plus the screens' own behaviour:
// a new profile's form, a wrong password, the file browser, the preview tabs, retry and undo from the summary.
import {copyFileSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative, resolve} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {connect} from '../../source/core/connection/connect.js';
import {openSource} from '../../source/core/import/source.js';
import {startSandbox, type Sandbox} from '../../source/core/sandbox/server.js';
import {App} from '../../source/ui/app.js';
import type {ProfilesPort, WizardDeps} from '../../source/ui/wizard/deps.js';
import type {ProfileView} from '../../source/ui/wizard/machine.js';
import {KEY, render} from '../helpers/render.js';
import {pointerOn} from './screens/harness.js';

const root = join(import.meta.dirname, '..', '..');

function memoryProfiles(initial: ProfileView[] = []): ProfilesPort & {tokens: Map<string, string>; saved: ProfileView[]} {
	const saved = [...initial];
	const tokens = new Map<string, string>();
	const recent: string[] = [];
	return {
		saved,
		tokens,
		list: () => [...saved],
		problems: () => [],
		save: (p, previous) => {
			const i = saved.findIndex((x) => x.name === (previous ?? p.name));
			if (i >= 0) saved[i] = p;
			else saved.push(p);
		},
		remove: async (name) => {
			const i = saved.findIndex((x) => x.name === name);
			if (i >= 0) saved.splice(i, 1);
		},
		touch: () => {},
		getToken: async (p) => tokens.get(p.name),
		saveToken: async (p, token) => {
			tokens.set(p.name, token);
			return 'keychain';
		},
		recentFiles: () => [...recent],
		addRecentFile: (path) => recent.unshift(path),
	};
}

interface State {
	requests: {request_id: string}[];
	messages: Record<string, unknown[]>;
}

describe('the wizard', () => {
	let dir: string;
	let sandbox: Sandbox | undefined;
	let started: Sandbox[];
	/** Passes over the transcript by the engine (plan and import), counted through the source. */
	let passes = 0;

	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'tdi-wizard-'));
		mkdirSync(join(dir, 'exports'));
		copyFileSync(join(root, 'samples', 'support-chats.jsonl'), join(dir, 'exports', 'chats.jsonl'));
		started = [];
		passes = 0;
	});
	afterEach(async () => {
		for (const s of started) await s.close();
		rmSync(dir, {recursive: true, force: true});
	});

	function deps(profiles: ProfilesPort): WizardDeps {
		return {
			cwd: dir,
			workDir: join(dir, 'state'),
			toolVersion: 'tiledesk-import/test',
			profiles,
			reportDir: join(dir, 'reports'),
			connect: (settings, signal) => connect(settings, {signal, needRole: 'agent'}),
			startSandbox: async () => {
				sandbox = await startSandbox({port: 0});
				started.push(sandbox);
				return sandbox;
			},
			openSource: async (path, readOptions) => {
				const source = await openSource(resolve(dir, path), relative(dir, resolve(dir, path)), readOptions);
				const items = source.items;
				source.items = (signal) => {
					passes++;
					return items(signal);
				};
				return source;
			},
		};
	}

	it('walks from the sandbox profile to a finished import; the sandbox holds every message', async () => {
		let code: number | undefined;
		const app = render(<App deps={deps(memoryProfiles())} onExitCode={(c) => (code = c)} />);
		await app.waitFor('Sandbox (local rehearsal)');
		await app.press(KEY.enter);
		await app.waitFor('Connected to project "Sandbox project"');
		await app.press(KEY.enter);
		await app.waitFor('exports/');
		await app.press(KEY.down, KEY.enter); // into exports/
		await app.waitFor(/chats\.jsonl.*Transcript JSONL/);
		await app.press(KEY.down, KEY.enter);
		let frame = await app.waitFor('8 conversations · 76 messages');
		expect(frame).toContain('participants: end-user 8 · agent 3 · bot 1 · system 1');
		await app.press('3'); // conversations tab
		await app.waitFor('chat-1007');
		await app.press('/');
		await app.type('priya');
		await app.press(KEY.enter);
		frame = await app.waitFor('1 of 8');
		expect(frame).toContain('Priya Nair');
		await app.press(KEY.enter);
		frame = await app.waitFor('Conversation chat-1007');
		expect(frame).toMatch(/#0 2025-05-14 \d\d:\d\d:\d\d Priya Nair \[end-user\]/);
		await app.press('u');
		await app.waitFor('times in UTC');
		await app.press(KEY.esc);
		await app.waitForGone('Conversation chat-1007');
		await app.press('c');
		await app.waitFor('How should the import behave?');
		await app.press(KEY.enter);
		frame = await app.waitFor('This is what will happen');
		expect(frame).toContain('8 conversations with 76 messages to import');
		await app.press(KEY.enter);
		frame = await app.waitFor(/Done in .*: 8 imported — 76 messages sent/);
		expect(frame).toContain('Report (every conversation with its Tiledesk link)');
		const state = sandbox!.control.state() as State;
		expect(state.requests).toHaveLength(8);
		expect(Object.values(state.messages).flat()).toHaveLength(76);
		// Passes over the file by the engine: one for the plan the user confirmed, one for the import (not a second plan).
		expect(passes).toBe(2);
		await app.press('q');
		expect(code).toBe(0);
		app.unmount();
	});

	it('undo from the summary deletes what the import created (after a second press)', async () => {
		const app = render(<App deps={deps(memoryProfiles())} onExitCode={() => {}} />);
		await app.waitFor('Sandbox (local rehearsal)');
		await app.press(KEY.enter);
		await app.waitFor('Connected');
		await app.press(KEY.enter);
		await app.waitFor('exports/');
		await app.press(KEY.down, KEY.enter);
		await app.waitFor('chats.jsonl');
		await app.press(KEY.down, KEY.enter);
		await app.waitFor('8 conversations');
		await app.press('c');
		await app.waitFor('What to do');
		await app.press(KEY.right); // demo
		await app.waitFor('demo: only the first 5');
		await app.press(KEY.enter);
		await app.waitFor('5 conversations with');
		await app.press(KEY.enter);
		await app.waitFor('5 imported');
		expect((sandbox!.control.state() as State).requests).toHaveLength(5);
		await app.press('u');
		await app.waitFor('Press u again');
		await app.press('u');
		await app.waitFor('Undo: 5 conversations deleted');
		expect((sandbox!.control.state() as State).requests).toHaveLength(0);
		app.unmount();
	});

	it('a new profile: the form checks fields, a wrong password is explained, the right one connects and is saved', async () => {
		const server = await startSandbox({port: 0});
		started.push(server);
		const profiles = memoryProfiles();
		const app = render(<App deps={deps(profiles)} onExitCode={() => {}} />);
		await app.waitFor('+ New profile');
		await app.press('n');
		await app.waitFor('New connection profile');
		// Each key that moves the pointer is followed by a wait for the move: under load, a character sent at once
		// still reached the previous field (CI typed the e-mail's first letter into the project ID).
		await app.type('Local');
		await app.press(KEY.enter);
		await pointerOn(app, 'API URL');
		await app.press('\u0015'); // ctrl+u clears the default
		await app.type(server.url);
		await app.press(KEY.enter);
		await pointerOn(app, 'Dashboard URL'); // left empty
		await app.press(KEY.enter);
		await pointerOn(app, 'Project ID');
		await app.type('not-an-id');
		await app.press(KEY.enter);
		await pointerOn(app, 'E-mail');
		await app.type(server.credentials.email);
		await app.press(KEY.enter);
		await pointerOn(app, 'Password');
		await app.type('wrong-password');
		await app.press(KEY.enter);
		let frame = await app.waitFor('Project ID: 24 hexadecimal characters');
		expect(frame).not.toContain('wrong-password'); // the password field is masked
		await pointerOn(app, 'Project ID'); // the pointer moved to the faulty field
		for (let i = 0; i < 9; i++) await app.press(KEY.backspace);
		await app.type(server.credentials.projectId);
		await app.press(KEY.enter);
		await pointerOn(app, 'E-mail');
		await app.press(KEY.enter);
		await pointerOn(app, 'Password');
		await app.press(KEY.enter);
		frame = await app.waitFor('The server rejected the credentials');
		expect(frame).toMatch(/❯ Password|> Password/);
		for (let i = 0; i < 14; i++) await app.press(KEY.backspace);
		await app.type(server.credentials.password);
		await app.press(KEY.enter);
		frame = await app.waitFor('Connected to project "Sandbox project"');
		expect(frame).toContain('sign-in token kept in the OS keychain');
		expect(profiles.saved.map((p) => [p.name, p.apiUrl, p.projectId])).toEqual([['Local', server.url, server.credentials.projectId]]);
		expect(profiles.tokens.get('Local')).toMatch(/^JWT /);
		expect(JSON.stringify(profiles.saved)).not.toContain(server.credentials.password);
		app.unmount();
	});

	it('a saved profile with a stored token connects without asking; without one it asks for the password', async () => {
		const server = await startSandbox({port: 0});
		started.push(server);
		const profile: ProfileView = {name: 'Saved', apiUrl: server.url, projectId: server.credentials.projectId, email: server.credentials.email, tokenStorage: 'keychain'};
		const profiles = memoryProfiles([profile]);
		const app = render(<App deps={deps(profiles)} onExitCode={() => {}} />);
		await app.waitFor('Saved');
		await app.press(KEY.down, KEY.enter);
		await app.waitFor('Sign in to "Saved"');
		await app.type(server.credentials.password);
		await app.press(KEY.enter);
		await app.waitFor('Connected to project');
		expect(profiles.tokens.get('Saved')).toMatch(/^JWT /);
		app.unmount();
		const again = render(<App deps={deps(profiles)} onExitCode={() => {}} />);
		await again.waitFor('Saved');
		await again.press(KEY.down, KEY.enter);
		await again.waitFor('Connected to project'); // the stored token is used: no password asked
		again.unmount();
	});

	it('an unreadable file is explained on the file screen', async () => {
		const app = render(<App deps={deps(memoryProfiles())} onExitCode={() => {}} />);
		await app.waitFor('Sandbox');
		await app.press(KEY.enter);
		await app.waitFor('Connected');
		await app.press(KEY.enter);
		await app.waitFor('Which transcript');
		await app.press('/');
		await app.type('missing.json');
		await app.press(KEY.enter);
		await app.waitFor(/missing\.json: no such file/);
		app.unmount();
	});
});
