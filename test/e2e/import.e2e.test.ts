// End-to-end: the built CLI imports into a server (the sandbox always; the real Tiledesk server in the live lane,
// see test/helpers/targets.ts), then the server's data is read back with the client and compared with the
// transcript message for message. A second run changes nothing; a run killed midway (SIGKILL) and re-run ends
// exactly-once; undo removes exactly what was created.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {requestIdFor} from '../../source/core/import/ids.js';
import {openTranscript} from '../../source/core/transcript/load.js';
import type {Conversation} from '../../source/core/model/transcript.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import type {TiledeskMessage} from '../../source/core/tiledesk/api.js';
import {contractTargets} from '../helpers/targets.js';

const root = join(import.meta.dirname, '..', '..');

function cli(args: string[], env: Record<string, string>, onStdout?: (chunk: string, kill: () => void) => void): Promise<{code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string}> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), ...args], {cwd: root, env: {PATH: process.env['PATH'] ?? '', TZ: 'UTC', ...env}, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => {
			stdout += d.toString();
			onStdout?.(stdout, () => child.kill('SIGKILL'));
		});
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('exit', (code, signal) => resolve({code, signal, stdout, stderr}));
	});
}

/** A transcript of `count` conversations (interleaved JSONL lines, three roles, a multi-line message). */
function writeTranscript(path: string, count: number, perConversation: number, tag: string): void {
	const lines: string[] = [];
	const start = Date.UTC(2024, 5, 1, 8, 0, 0);
	for (let m = 0; m < perConversation; m++) {
		for (let c = 0; c < count; c++) {
			const role = m % 3 === 0 ? 'end-user' : m % 3 === 1 ? 'agent' : 'bot';
			lines.push(
				JSON.stringify({
					conversationId: `${tag}-${c}`,
					senderId: role === 'end-user' ? `cust-${c}` : role === 'agent' ? `agent-${c % 3}` : 'faqbot',
					senderName: role === 'end-user' ? `Customer ${c}` : role === 'agent' ? `Agent ${c % 3}` : 'FAQ bot',
					role,
					text: m === 1 ? `Hello,\nthis is line ${m} of ${tag}-${c}` : `Message ${m} of ${tag}-${c}`,
					timestamp: new Date(start + c * 3_600_000 + m * 45_000).toISOString(),
				}),
			);
		}
	}
	writeFileSync(path, `${lines.join('\n')}\n`);
}

async function transcript(path: string): Promise<Conversation[]> {
	const t = await openTranscript(path, {timezone: 'UTC'});
	const out: Conversation[] = [];
	for await (const item of t.items()) if (item.conversation) out.push(item.conversation);
	return out;
}

describe.each(contractTargets())('import end to end: $name', (target) => {
	let client: TiledeskClient;
	let projectId: string;
	let env: Record<string, string>;
	let dir: string;
	let close: () => Promise<void>;
	const tag = `e2e${Date.now().toString(36)}`;

	beforeAll(async () => {
		const server = await target.connect();
		close = server.close;
		projectId = server.credentials.projectId;
		dir = mkdtempSync(join(tmpdir(), 'tdi-e2e-'));
		env = {
			TILEDESK_URL: server.url,
			TILEDESK_PROJECT_ID: projectId,
			TILEDESK_EMAIL: server.credentials.email,
			TILEDESK_PASSWORD: server.credentials.password,
			XDG_STATE_HOME: join(dir, 'state'),
		};
		client = (await TiledeskClient.signIn({baseUrl: server.url, projectId, email: server.credentials.email, password: server.credentials.password})).client;
	});
	afterAll(async () => {
		await client?.close();
		await close?.();
		rmSync(dir, {recursive: true, force: true});
	});

	/** Every transcript message is stored exactly once, with the transcript's sender role, name, text and time order. */
	async function expectExactlyOnce(conversations: Conversation[], source: string): Promise<void> {
		for (const c of conversations) {
			const rid = requestIdFor(projectId, source, c.id);
			const request = await client.getRequest(rid);
			expect(request, c.id).not.toBeNull();
			const stored = (await client.listMessages(rid)).sort((a: TiledeskMessage, b: TiledeskMessage) => Number(a.attributes?.['seq']) - Number(b.attributes?.['seq']));
			expect(stored.map((m) => m.attributes?.['import_key']), c.id).toEqual(c.messages.map((_, i) => `m${i}`));
			const lead = (request!.lead as {lead_id?: string} | undefined)?.lead_id;
			stored.forEach((m, i) => {
				const source = c.messages[i]!;
				expect([m.text, m.senderFullname, m.attributes?.['clienttimestamp']]).toEqual([source.text, source.senderName, source.clientTimestamp]);
				if (source.role === 'end-user') expect(m.sender).toBe(lead);
				else expect(m.sender).toMatch(source.role === 'bot' ? /^bot_import-/ : /^import-agent-/);
			});
		}
	}

	it('imports a sample whose read-back matches the transcript; a second run changes nothing', async () => {
		const file = join(dir, 'sample.jsonl');
		writeTranscript(file, 6, 7, `${tag}a`);
		const source = `${tag}-sample`;
		const first = await cli(['import', file, '--yes', '--source', source, '--report-dir', dir], env);
		expect(first.stderr).toContain('6 imported');
		expect(first.code).toBe(0);
		const conversations = await transcript(file);
		await expectExactlyOnce(conversations, source);
		const counts = await Promise.all(conversations.map(async (c) => (await client.listMessages(requestIdFor(projectId, source, c.id))).length));
		rmSync(join(dir, 'state'), {recursive: true, force: true}); // without the journal: only reads and the diff
		const second = await cli(['import', file, '--yes', '--source', source, '--report-dir', dir], env);
		expect(second.code).toBe(0);
		expect(second.stderr).toMatch(/6 unchanged — 0 messages sent/);
		expect(await Promise.all(conversations.map(async (c) => (await client.listMessages(requestIdFor(projectId, source, c.id))).length))).toEqual(counts);
	});

	it('a run killed with SIGKILL midway, then re-run, ends with every message exactly once', async () => {
		const file = join(dir, 'kill.jsonl');
		writeTranscript(file, 30, 6, `${tag}k`);
		const source = `${tag}-kill`;
		const killed = await cli(['import', file, '--yes', '--json', '--source', source, '--batch-size', '2', '--report-dir', dir], env, (out, kill) => {
			if ((out.match(/"conversation-finished"/g) ?? []).length >= 8) kill();
		});
		expect(killed.signal).toBe('SIGKILL');
		const resumed = await cli(['import', file, '--yes', '--source', source, '--report-dir', dir], env);
		expect(resumed.code).toBe(0);
		expect(resumed.stderr).toMatch(/Done in/);
		await expectExactlyOnce(await transcript(file), source);
	}, 120_000); // two CLI runs of 30 conversations in batches of 2: about 20 s on the real local server, more under load

	it('undo removes exactly what the import created', async () => {
		const file = join(dir, 'undo.jsonl');
		writeTranscript(file, 3, 2, `${tag}u`);
		const source = `${tag}-undo`;
		const run = await cli(['import', file, '--yes', '--source', source, '--report-dir', dir], env);
		expect(run.code).toBe(0);
		const report = /^Report: (\S+\.json)$/m.exec(run.stderr)![1]!;
		const keep = requestIdFor(projectId, `${tag}-sample`, `${tag}a-0`);
		expect(await client.getRequest(keep)).not.toBeNull();
		const undo = await cli(['undo', report, '--yes'], env);
		expect(undo.stderr).toContain('Deleted 3, already gone 0');
		expect(undo.code).toBe(0);
		for (const c of await transcript(file)) expect(await client.getRequest(requestIdFor(projectId, source, c.id))).toBeNull();
		expect(await client.getRequest(keep)).not.toBeNull(); // another import's conversation is untouched
	});
});
