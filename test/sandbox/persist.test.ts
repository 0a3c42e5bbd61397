// The sandbox's optional state file: created with mode 0600, saved atomically after changes and on close, loaded
// (zod-validated) at the next start so the seeded credentials, the data and issued tokens survive restarts; a
// corrupt file is refused with a message naming it.
import {mkdtempSync} from 'node:fs';
import {mkdir, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {SandboxStateError, startSandbox, type Sandbox} from '../../source/core/sandbox/server.js';
import {PersistedStateSchema} from '../../source/core/sandbox/state.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';

let dir: string;
let file: string;
const open: Sandbox[] = [];
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
	file = join(dir, 'state.json');
});
afterEach(async () => {
	for (const s of open.splice(0)) await s.close();
});
async function start(options: Parameters<typeof startSandbox>[0] = {}) {
	const s = await startSandbox({port: 0, stateFile: file, ...options});
	open.push(s);
	return s;
}
const withoutUrl = (exports: string) => exports.split('\n').filter((l) => !l.startsWith('export TILEDESK_URL=')).join('\n');

describe('sandbox state file', () => {
	it('is created at start with mode 0600 and holds the seeded owner, agent and project', async () => {
		const s = await start();
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		const data = PersistedStateSchema.parse(JSON.parse(await readFile(file, 'utf8')));
		expect(data.seeded.projectId).toBe(s.credentials.projectId);
		expect(data.users.map((u) => u.email)).toEqual([s.credentials.email, s.credentials.agentEmail]);
	});

	it('survives a restart: same credentials, conversations, messages, quota count, and tokens stay valid', async () => {
		const first = await start();
		const c = first.credentials;
		const {client, token} = await TiledeskClient.signIn({baseUrl: first.url, projectId: c.projectId, email: c.email, password: c.password});
		const id = `support-group-${c.projectId}-kept`;
		await client.createRequest({request_id: id, first_text: 'kept', participants: ['x']});
		await client.postMessages(id, [{sender: 'v', senderFullname: 'V', text: 'one'}]);
		await client.close();
		await first.close();

		const second = await start();
		expect(withoutUrl(second.exportsText)).toBe(withoutUrl(first.exportsText));
		const again = new TiledeskClient({baseUrl: second.url, projectId: c.projectId, auth: {kind: 'jwt', token}});
		expect(await again.getRequest(id)).toMatchObject({first_text: 'kept'});
		expect((await again.listMessages(id)).map((m) => m.text)).toEqual(['one']);
		expect((await again.getQuota()).requestsUsed).toBe(1);
		await again.close();
	});

	it('is saved shortly after a change, without waiting for close, and atomically (no temp file left)', async () => {
		const s = await start({saveDebounceMs: 20});
		const c = s.credentials;
		const {client} = await TiledeskClient.signIn({baseUrl: s.url, projectId: c.projectId, email: c.email, password: c.password});
		const id = `support-group-${c.projectId}-soon`;
		await client.createRequest({request_id: id, first_text: 'soon'});
		await client.close();
		let saved: string[] = [];
		for (let i = 0; i < 50 && !saved.includes(id); i++) {
			await new Promise((r) => setTimeout(r, 20));
			saved = PersistedStateSchema.parse(JSON.parse(await readFile(file, 'utf8'))).requests.map((r) => r.request_id);
		}
		expect(saved).toContain(id);
		await s.control.save();
		expect(await readdir(dir)).toEqual(['state.json']);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
	});

	it('refuses a corrupt file with a message naming it and what is wrong', async () => {
		await writeFile(file, '{"format": "tiledesk-import-sandbox-state", ');
		const notJson = await startSandbox({port: 0, stateFile: file}).then(() => undefined, (e: unknown) => e);
		expect(notJson).toBeInstanceOf(SandboxStateError);
		expect((notJson as Error).message).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON`));

		await rm(file);
		const s = await start();
		await s.close();
		const data = JSON.parse(await readFile(file, 'utf8')) as {users: {email: unknown}[]};
		data.users[0]!.email = 42;
		await writeFile(file, JSON.stringify(data));
		await expect(startSandbox({port: 0, stateFile: file})).rejects.toThrow(`the sandbox state file ${file} is not a sandbox state: users.0.email:`);

		await writeFile(file, JSON.stringify({hello: 'world'}));
		await expect(startSandbox({port: 0, stateFile: file})).rejects.toThrow(/is not a sandbox state: format:/);

		const folder = join(dir, 'a-folder');
		await mkdir(folder);
		await expect(startSandbox({port: 0, stateFile: folder})).rejects.toThrow(`cannot read the sandbox state file ${folder} (EISDIR)`);
	});
});
