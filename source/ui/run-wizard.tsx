/**
 * `tiledesk-import` with no command: the wizard. It needs a terminal (stdin and stdout TTYs, not CI); otherwise
 * it says which headless commands to use instead and exits 2 without prompting.
 */
import {render} from 'ink';
import type {CommandIO} from '../commands/io.js';
import {toolVersion} from '../commands/version.js';
import {ProfileStore} from '../core/profiles/store.js';
import {App} from './app.js';
import {defaultDeps, type ProfilesPort} from './wizard/deps.js';
import type {ProfileView} from './wizard/machine.js';

export const NON_INTERACTIVE_HINT = `The wizard needs an interactive terminal (this one is not: no TTY, or CI is set).
Use the headless commands instead:
  tiledesk-import preview FILE                      check a transcript
  tiledesk-import import FILE --dry-run             check access, quota and what exists
  tiledesk-import import FILE --yes                 import (TILEDESK_URL, TILEDESK_PROJECT_ID, TILEDESK_EMAIL,
                                                    TILEDESK_PASSWORD or TILEDESK_TOKEN, or --profile NAME)
  tiledesk-import sandbox                           a local Tiledesk-like server to rehearse
Run \`tiledesk-import --help\` for everything.`;

export function profilesPort(store: ProfileStore): ProfilesPort {
	const strip = ({sandbox: _s, ...p}: ProfileView) => p;
	return {
		list: () => store.list(),
		problems: () => store.problems(),
		save: (profile, previousName) => store.save(strip(profile), previousName),
		remove: (name) => store.remove(name),
		touch: (name) => store.touch(name),
		getToken: (profile) => store.getToken(strip(profile)),
		saveToken: (profile, token) => store.saveToken(strip(profile), token),
		recentFiles: () => store.recentFiles(),
		addRecentFile: (path) => store.addRecentFile(path),
	};
}

export async function runWizard(io: CommandIO & {stdin: NodeJS.ReadStream; stdoutTTY: boolean}, init: {file?: string} = {}): Promise<number> {
	if (!io.stdin.isTTY || !io.stdoutTTY || io.env['CI']) {
		io.stderr.write(`${NON_INTERACTIVE_HINT}\n`);
		return 2;
	}
	const deps = defaultDeps(profilesPort(new ProfileStore()), io.cwd, toolVersion(), io.env);
	let code = 0;
	const app = render(<App deps={deps} init={init} onExitCode={(c) => (code = c)} />, {exitOnCtrlC: false});
	await app.waitUntilExit();
	return code;
}
