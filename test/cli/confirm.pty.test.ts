// The headless import asked to confirm in a real terminal (pty): the plan is stated once, "y" imports, anything
// else imports nothing, Ctrl+C at the question is an interruption (exit 130).
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../../source/core/sandbox/server.js';
import {KEYS, runInTerminal} from '../helpers/pty.js';

const root = join(import.meta.dirname, '..', '..');

describe('import with a confirmation (built CLI in a terminal, sandbox)', () => {
	let sandbox: Sandbox;
	let dir: string;
	let env: Record<string, string>;
	beforeAll(async () => {
		sandbox = await startSandbox({port: 0});
		dir = mkdtempSync(join(tmpdir(), 'tdi-confirm-'));
		const c = sandbox.credentials;
		env = {PATH: process.env['PATH'] ?? '', HOME: dir, XDG_STATE_HOME: join(dir, 'state'), TERM: 'xterm-256color', TZ: 'UTC', TILEDESK_URL: sandbox.url, TILEDESK_PROJECT_ID: c.projectId, TILEDESK_EMAIL: c.email, TILEDESK_PASSWORD: c.password};
	});
	afterAll(async () => {
		await sandbox.close();
		rmSync(dir, {recursive: true, force: true});
	});

	const requests = () => (sandbox.control.state() as {requests: unknown[]}).requests.length;

	it('n imports nothing; Ctrl+C at the question exits 130 and says so; y imports after the plan, stated once', async () => {
		const args = [join(root, 'dist', 'cli.js'), 'import', join(root, 'samples', 'support-chats.jsonl'), '--report-dir', dir];
		const no = runInTerminal(args[0]!, args.slice(1), {cwd: root, env});
		await no.waitFor('Import 8 conversation(s) into "Sandbox project"? [y/N]');
		no.write(`n${KEYS.enter}`);
		expect(await no.exited).toBe(0);
		expect(no.screen()).toContain('Nothing imported.');
		expect(requests()).toBe(0);

		const interrupted = runInTerminal(args[0]!, args.slice(1), {cwd: root, env});
		await interrupted.waitFor('[y/N]');
		interrupted.write(KEYS.ctrlC); // readline takes it: the command must still stop, and say so
		expect(await interrupted.exited).toBe(130);
		expect(interrupted.screen()).toContain('Interrupted: nothing was imported.');
		expect(requests()).toBe(0);

		const yes = runInTerminal(args[0]!, args.slice(1), {cwd: root, env});
		await yes.waitFor('[y/N]');
		yes.write(`y${KEYS.enter}`);
		const screen = await yes.waitFor(/Done in .*8 imported/);
		expect(await yes.exited).toBe(0);
		expect(requests()).toBe(8);
		expect(screen.match(/8 conversations with 76 messages to import/g)).toHaveLength(1);
	});
});
