/**
 * Everything the wizard needs from the outside world, injected so screens and the whole flow can be tested
 * against an in-process sandbox with temporary profile storage. `defaultDeps` wires the real implementations.
 */
import {relative, resolve} from 'node:path';
import {connect, type Connected, type ConnectionSettings} from '../../core/connection/connect.js';
import {defaultWorkDir, openSource, type OpenedSource} from '../../core/import/source.js';
import type {ReadOptions} from '../../core/readers/types.js';
import {startSandbox} from '../../core/sandbox/server.js';
import type {ProfileView} from './machine.js';

export interface ProfilesPort {
	list(): ProfileView[];
	problems(): string[];
	save(profile: ProfileView, previousName?: string): void;
	remove(name: string): Promise<void>;
	touch(name: string): void;
	getToken(profile: ProfileView): Promise<string | undefined>;
	saveToken(profile: ProfileView, token: string): Promise<'keychain' | 'file' | 'none'>;
	recentFiles(): string[];
	addRecentFile(path: string): void;
}

export interface SandboxHandle {
	url: string;
	credentials: {email: string; password: string; projectId: string};
	close(): Promise<void>;
}

export interface WizardDeps {
	cwd: string;
	workDir: string;
	toolVersion: string;
	profiles: ProfilesPort;
	connect(settings: ConnectionSettings, signal: AbortSignal): Promise<Connected>;
	startSandbox(): Promise<SandboxHandle>;
	openSource(path: string, readOptions: ReadOptions): Promise<OpenedSource>;
	/** Where reports go (default: next to the input file). */
	reportDir?: string;
}

export const SANDBOX_NAME = 'Sandbox (local rehearsal)';

export function sandboxProfile(): ProfileView {
	return {name: SANDBOX_NAME, apiUrl: 'http://127.0.0.1 (started on demand)', projectId: '', email: '', tokenStorage: 'none', sandbox: true};
}

export function defaultDeps(profiles: ProfilesPort, cwd: string, toolVersion: string, env: NodeJS.ProcessEnv = process.env): WizardDeps {
	return {
		cwd,
		workDir: defaultWorkDir(env),
		toolVersion,
		profiles,
		connect: (settings, signal) => connect(settings, {signal, needRole: 'agent'}),
		startSandbox: async () => startSandbox({port: 0}),
		openSource: (path, readOptions) => {
			const full = resolve(cwd, path);
			return openSource(full, relative(cwd, full) || full, readOptions);
		},
	};
}
