// The built CLI in a real terminal (node-pty + a headless xterm): a person's walk through the wizard with
// keystrokes. On the sandbox target it uses the built-in Sandbox profile; on the real server (live lane) it
// creates a profile with the form, signs in, and imports; then the server's data is checked.
import {copyFileSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {requestIdFor} from '../../source/core/import/ids.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {KEYS, runInTerminal} from '../helpers/pty.js';
import {contractTargets} from '../helpers/targets.js';

const root = join(import.meta.dirname, '..', '..');
const CHATS = ['chat-1000', 'chat-1001', 'chat-1002', 'chat-1003', 'chat-1004', 'chat-1005', 'chat-1006', 'chat-1007'];

describe.each(contractTargets())('the wizard in a real terminal: $name', (target) => {
	let dir: string;
	let env: Record<string, string>;
	let server: Awaited<ReturnType<typeof target.connect>>;

	beforeAll(async () => {
		server = await target.connect();
		dir = mkdtempSync(join(tmpdir(), 'tdi-pty-'));
		mkdirSync(join(dir, 'exports'));
		copyFileSync(join(root, 'samples', 'support-chats.jsonl'), join(dir, 'exports', 'chats.jsonl'));
		env = {PATH: process.env['PATH'] ?? '', HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_STATE_HOME: join(dir, 'state'), TERM: 'xterm-256color', TZ: 'UTC', LANG: 'C.UTF-8'};
	});
	afterAll(async () => {
		await server?.close();
		rmSync(dir, {recursive: true, force: true});
	});

	it('walks profile → connection test → file → preview → options → import → summary, and exits 0', async () => {
		const t = runInTerminal(join(root, 'dist', 'cli.js'), [], {cwd: dir, env, cols: 100, rows: 30});
		try {
			await t.waitFor('Where should the conversations go?');
			const projectId = server.credentials.projectId;
			if (target.name === 'sandbox') {
				t.write(KEYS.enter); // the built-in Sandbox profile (its own local server)
				await t.waitFor(/Connected to project "Sandbox project"/);
			} else {
				t.write('n');
				await t.waitFor('New connection profile');
				const c = server.credentials;
				const pause = () => new Promise((r) => setTimeout(r, 150));
				for (const value of ['Local real', '\u0015', server.url, '', c.projectId, c.email, c.password]) {
					if (value) t.write(value);
					await pause();
					if (value !== '\u0015') t.write(KEYS.enter);
					await pause();
				}
				const screen = await t.waitFor(/Connected to project "Local project/, 30_000);
				expect(screen).not.toContain(c.password);
			}
			t.write(KEYS.enter);
			await t.waitFor('exports/');
			t.write('/'); // type a path, with Tab completion
			await t.waitFor('Path:');
			t.write('exp');
			await new Promise((r) => setTimeout(r, 150));
			t.write(KEYS.tab);
			await t.waitFor('Path: exports/');
			t.write('chats.jsonl');
			await new Promise((r) => setTimeout(r, 150));
			t.write(KEYS.enter);
			await t.waitFor('8 conversations · 76 messages', 20_000);
			t.write('c');
			await t.waitFor('How should the import behave?');
			t.write(KEYS.enter);
			await t.waitFor('This is what will happen', 20_000);
			t.write(KEYS.enter);
			// A fresh project gets 8 new conversations; a project this test already filled (a local re-run) is unchanged.
			const done = await t.waitFor(/Done in .*: (8 imported — 76 messages sent|8 unchanged — 0 messages sent)/, 60_000);
			if (target.name === 'sandbox') expect(done).toContain('8 imported');
			expect(done).toContain('Report (every conversation with its Tiledesk link)');
			// Every conversation was written above the live region as it finished (on a line of its own, or counted in
			// a folded line), and is still there above the summary.
			const named = new Set([...done.matchAll(/(?:✔ imported|= unchanged) +(chat-100\d) \d+ messages/g)].map((m) => m[1]));
			const folded = [...done.matchAll(/(?:✔ imported|= unchanged) +(\d+) conversations chat-100\d … chat-100\d/g)].reduce((n, m) => n + Number(m[1]), 0);
			expect(named.size + folded, done).toBe(CHATS.length);
			const lastFinished = Math.max(...[...done.matchAll(/(?:✔ imported|= unchanged) +(?:chat-100\d|\d+ conversations)/g)].map((m) => m.index));
			expect(lastFinished).toBeLessThan(done.indexOf('Done in '));
			t.write('q');
			expect(await t.exited).toBe(0);
			if (target.name === 'real') {
				const {client} = await TiledeskClient.signIn({baseUrl: server.url, projectId, email: server.credentials.email, password: server.credentials.password});
				try {
					for (const id of CHATS) expect((await client.listMessages(requestIdFor(projectId, 'jsonl', id))).length, id).toBeGreaterThan(0);
				} finally {
					await client.close();
				}
			}
		} finally {
			t.kill();
		}
	}, 120_000);

	it('refuses to prompt without a terminal and names the headless commands', async () => {
		const {spawnSync} = await import('node:child_process');
		const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js')], {cwd: dir, env: {...env, CI: 'true'}, encoding: 'utf8', input: ''});
		expect(r.status).toBe(2);
		expect(r.stderr).toContain('The wizard needs an interactive terminal');
		expect(r.stderr).toContain('tiledesk-import import FILE --yes');
	});
});
