// The built CLI's `import` and `undo` against an in-process sandbox: exit codes, output, reports, re-runs,
// confirmation, credentials errors, quota, retry of failures, undo. The sandbox's state is the ground truth.
import {execFile} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ProfileStore} from '../../source/core/profiles/store.js';
import {startSandbox, type Sandbox} from '../../source/core/sandbox/server.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';

const root = join(import.meta.dirname, '..', '..');

interface State {
	requests: {request_id: string; status: number; attributes?: Record<string, unknown>}[];
	messages: Record<string, {attributes?: Record<string, unknown>; text?: string}[]>;
}

function cli(args: string[], env: Record<string, string>, stdin?: string): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise((resolve) => {
		const child = execFile(process.execPath, [join(root, 'dist', 'cli.js'), ...args], {cwd: root, env: {PATH: process.env['PATH'] ?? '', TZ: 'UTC', ...env}, encoding: 'utf8'}, (error, stdout, stderr) => {
			resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, stdout, stderr});
		});
		if (stdin !== undefined) child.stdin?.end(stdin);
		else child.stdin?.end();
	});
}

describe('tiledesk-import import / undo (built CLI, sandbox)', () => {
	let sandbox: Sandbox;
	let dir: string;
	let env: Record<string, string>;
	const state = () => sandbox.control.state() as State;
	let firstReport = '';

	beforeAll(async () => {
		sandbox = await startSandbox({port: 0});
		dir = mkdtempSync(join(tmpdir(), 'tdi-cli-'));
		env = {
			TILEDESK_URL: sandbox.url,
			TILEDESK_PROJECT_ID: sandbox.credentials.projectId,
			TILEDESK_EMAIL: sandbox.credentials.email,
			TILEDESK_PASSWORD: sandbox.credentials.password,
			XDG_STATE_HOME: join(dir, 'state'),
		};
	});
	afterAll(async () => {
		await sandbox.close();
		rmSync(dir, {recursive: true, force: true});
	});

	it('refuses to start without --yes when it cannot ask, after showing the plan', async () => {
		const r = await cli(['import', 'samples/support-chats.json'], env);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('12 conversations with 108 messages to import');
		expect(r.stderr).toMatch(/error: not starting without confirmation\nhint: add --yes/);
		expect(state().requests).toHaveLength(0);
	});

	it('imports a sample: exit 0, every message in the sandbox, reports written, no secret printed', async () => {
		const r = await cli(['import', 'samples/support-chats.json', '--yes', '--report-dir', join(dir, 'reports')], env);
		expect(r.stderr).toMatch(/Done in .*: 12 imported — 108 messages sent/);
		expect(r.code).toBe(0);
		expect(state().requests).toHaveLength(12);
		expect(Object.values(state().messages).flat()).toHaveLength(108);
		const reports = readdirSync(join(dir, 'reports'));
		expect(reports.filter((f) => f.endsWith('.json'))).toHaveLength(1);
		firstReport = /^Report: (\S+\.json)$/m.exec(r.stderr)![1]!;
		expect(firstReport).toBe(join(dir, 'reports', reports.find((f) => f.endsWith('.json'))!));
		for (const out of [r.stdout, r.stderr, ...reports.map((f) => readFileSync(join(dir, 'reports', f), 'utf8'))]) {
			expect(out).not.toContain(sandbox.credentials.password);
			expect(out).not.toMatch(/JWT ey/);
		}
	});

	it('a re-run changes nothing', async () => {
		const before = JSON.stringify(state());
		const r = await cli(['import', 'samples/support-chats.json', '--yes', '--report-dir', join(dir, 'reports')], env);
		expect(r.code).toBe(0);
		expect(r.stderr).toMatch(/12 unchanged — 0 messages sent, 0 API calls/);
		expect(JSON.stringify(state())).toBe(before);
	});

	it('--json prints one event per line on stdout, ending with run-finished', async () => {
		const r = await cli(['import', 'samples/support-chats.jsonl', '--yes', '--json', '--limit', '2', '--report-dir', join(dir, 'reports')], env);
		expect(r.code).toBe(0);
		const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as {type: string; ts: string});
		expect(events[0]).toMatchObject({type: 'run-planned'});
		expect(events.at(-1)).toMatchObject({type: 'run-finished', stop: {kind: 'completed'}, totals: {byStatus: {imported: 2}}});
		expect(events.filter((e) => e.type === 'conversation-finished')).toHaveLength(2);
		expect(r.stderr).toBe('');
	});

	it('a dry run lists what exists and writes nothing', async () => {
		const before = JSON.stringify(state());
		const r = await cli(['import', 'samples/support-chats.json', '--dry-run', '--only', 'web-1000,web-9999'], env);
		expect(r.code).toBe(0);
		expect(r.stderr).toContain('Dry run — nothing will be written.');
		expect(r.stderr).toContain('not in the file: web-9999');
		expect(r.stderr).toMatch(/planned\s+web-1000\s+exists, 7 of 7 messages present/);
		expect(JSON.stringify(state())).toBe(before);
	});

	it('--retry-failed re-runs only the conversations a report lists as failed or stopped', async () => {
		const report = JSON.parse(readFileSync(firstReport, 'utf8'));
		report.conversations[3].status = 'failed';
		writeFileSync(join(dir, 'edited.json'), JSON.stringify(report));
		const r = await cli(['import', '--retry-failed', join(dir, 'edited.json'), '--yes', '--recheck', '--report-dir', join(dir, 'reports')], env);
		expect(r.code).toBe(0);
		expect(r.stderr).toMatch(/unchanged web-1003/);
		expect(r.stderr).toContain('1 unchanged');
	});

	it('usage and credential errors are one human line with a hint, never the password', async () => {
		const noProject = await cli(['import', 'samples/support-chats.json', '--yes'], {...env, TILEDESK_PROJECT_ID: ''});
		expect(noProject.code).toBe(2);
		expect(noProject.stderr).toMatch(/^error: no project id\nhint: pass --project ID/);
		const wrong = await cli(['import', 'samples/support-chats.json', '--yes'], {...env, TILEDESK_PASSWORD: 'not-the-password-123'});
		expect(wrong.code).toBe(3);
		expect(wrong.stderr).toMatch(/^error: The server rejected the credentials/);
		expect(wrong.stderr).not.toContain('not-the-password-123');
		expect(wrong.stderr).not.toMatch(/\n\s+at /); // no stack trace
		const viaStdin = await cli(['import', 'samples/support-chats.json', '--dry-run', '--limit', '1', '--password-stdin'], {...env, TILEDESK_PASSWORD: ''}, `${sandbox.credentials.password}\n`);
		expect(viaStdin.code).toBe(0);
		const missing = await cli(['import', 'nope.json', '--yes'], env);
		expect(missing).toMatchObject({code: 2, stderr: expect.stringMatching(/^error: nope\.json: no such file/)});
	});

	it('undo deletes exactly what the import created; an agent is told the owner role is needed', async () => {
		const report = JSON.parse(readFileSync(firstReport, 'utf8')) as {conversations: {requestId: string}[]};
		const agent = await cli(['undo', firstReport, '--yes'], {...env, TILEDESK_EMAIL: sandbox.credentials.agentEmail, TILEDESK_PASSWORD: sandbox.credentials.agentPassword});
		expect(agent.code).toBe(3);
		expect(agent.stderr).toMatch(/owner role/);
		const others = state().requests.filter((r) => !report.conversations.some((c) => c.requestId === r.request_id)).map((r) => r.request_id);
		const r = await cli(['undo', firstReport, '--yes'], env);
		expect(r.stderr).toContain('Deleted 12, already gone 0, left alone 0, failed 0.');
		expect(r.code).toBe(0);
		expect(state().requests.map((x) => x.request_id)).toEqual(others); // the jsonl import's two are untouched
	});

	it('exit 1 when a conversation is blocked by transcript errors (the others are imported; the error names file and line)', async () => {
		const file = join(dir, 'blocked.jsonl');
		writeFileSync(file, [
			JSON.stringify({conversationId: 'blocked-ok', senderId: 'u1', role: 'end-user', text: 'hello', timestamp: '2025-01-01T10:00:00Z'}),
			JSON.stringify({conversationId: 'blocked-bad', role: 'end-user', text: 'no sender', timestamp: '2025-01-01T10:00:00Z'}),
		].join('\n'));
		const r = await cli(['import', file, '--yes', '--source', 'blocked', '--report-dir', join(dir, 'blocked')], env);
		expect(r.code, r.stderr).toBe(1);
		expect(r.stderr).toMatch(/blocked\s+blocked-bad\s.*missing-sender.*no sender/);
		expect(r.stderr).toMatch(/1 imported, 1 blocked/);
		const ids = state().requests.filter((x) => x.attributes?.['import_source'] === 'blocked').map((x) => x.attributes?.['import_source_id']);
		expect(ids).toEqual(['blocked-ok']);
	});

	it('undo: exit 2 for a missing or foreign report, exit 1 when some deletions fail (and a re-run finishes them)', async () => {
		const missing = await cli(['undo', join(dir, 'no-such-report.json'), '--yes'], env);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toMatch(/^error: .*no-such-report\.json/);
		const foreign = join(dir, 'not-a-report.json');
		writeFileSync(foreign, '{"hello": 1}');
		const bad = await cli(['undo', foreign, '--yes'], env);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/^error: .*not-a-report\.json/);

		const file = join(dir, 'undo-fail.jsonl');
		writeFileSync(file, ['a', 'b'].map((c) => JSON.stringify({conversationId: `undo-fail-${c}`, senderId: `u-${c}`, role: 'end-user', text: 'hi', timestamp: '2025-01-01T10:00:00Z'})).join('\n'));
		const imported = await cli(['import', file, '--yes', '--source', 'undo-fail', '--report-dir', join(dir, 'undo-fail')], env);
		expect(imported.code, imported.stderr).toBe(0);
		const report = /^Report: (\S+\.json)$/m.exec(imported.stderr)![1]!;
		// Every DELETE rate-limited with Retry-After: 0, so undo gives up after its attempts within seconds.
		sandbox.control.setFaults({rateLimitRate: 1, retryAfterSeconds: 0, onlyMethods: ['DELETE']});
		const failing = await cli(['undo', report, '--yes'], env).finally(() => sandbox.control.setFaults({}));
		expect(failing.code, failing.stderr).toBe(1);
		expect(failing.stderr).toMatch(/failed 2\./);
		expect(state().requests.filter((x) => x.attributes?.['import_source'] === 'undo-fail')).toHaveLength(2);
		const again = await cli(['undo', report, '--yes'], env);
		expect(again.code, again.stderr).toBe(0);
		expect(state().requests.filter((x) => x.attributes?.['import_source'] === 'undo-fail')).toHaveLength(0);
	});

	it('48 conversations in flight: imported, and no listener warning over the output', async () => {
		const file = join(dir, 'wide.jsonl');
		writeFileSync(file, Array.from({length: 100}, (_, c) => JSON.stringify({conversationId: `wide-${c}`, senderId: `u${c}`, role: 'end-user', text: 'hi', timestamp: '2025-01-01T10:00:00Z'})).join('\n'));
		const r = await cli(['import', file, '--yes', '--source', 'wide', '--concurrency', '48', '--report-dir', join(dir, 'wide')], env);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stderr).toMatch(/100 imported/);
		expect(r.stderr).not.toMatch(/MaxListenersExceededWarning|memory leak/);
	});

	it('stops with exit 3 and a clear reason when the monthly quota is used up', async () => {
		const small = await startSandbox({port: 0, monthlyRequests: 3});
		try {
			const r = await cli(['import', 'samples/support-chats.json', '--yes', '--concurrency', '1', '--report-dir', join(dir, 'quota')], {
				...env,
				TILEDESK_URL: small.url,
				TILEDESK_PROJECT_ID: small.credentials.projectId,
				TILEDESK_EMAIL: small.credentials.email,
				TILEDESK_PASSWORD: small.credentials.password,
			});
			expect(r.code).toBe(3);
			expect(r.stderr).toMatch(/monthly conversation quota is used up/);
			expect(r.stderr).toMatch(/3 imported/);
			expect((small.control.state() as State).requests).toHaveLength(3);
		} finally {
			await small.close();
		}
	});

	it('--profile uses a saved profile and its stored sign-in; an unknown profile is named', async () => {
		const config = join(dir, 'config');
		const store = new ProfileStore({cwd: join(config, 'tiledesk-import-nodejs')});
		const profile = {name: 'Local', apiUrl: sandbox.url, projectId: sandbox.credentials.projectId, email: sandbox.credentials.email, tokenStorage: 'file' as const};
		store.save(profile);
		const {token} = await TiledeskClient.signIn({baseUrl: sandbox.url, projectId: profile.projectId, email: profile.email, password: sandbox.credentials.password}).then(async (s) => {
			await s.client.close();
			return s;
		});
		expect(await store.saveToken(store.get('Local')!, token)).toBe('file');
		const base = {XDG_CONFIG_HOME: config, XDG_STATE_HOME: join(dir, 'state')};
		const r = await cli(['import', 'samples/support-chats.json', '--profile', 'Local', '--dry-run', '--limit', '2'], base);
		expect(r.stderr).toContain('Dry run');
		expect(r.code).toBe(0);
		const unknown = await cli(['import', 'samples/support-chats.json', '--profile', 'Nope', '--yes'], base);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/^error: no profile named "Nope"\nhint: profiles: Local/);
		const preview = await cli(['preview', 'samples/support-chats.json', '--profile', 'Local'], base);
		expect(preview.code).toBe(0);
		expect(preview.stdout).toContain(`Target: profile "Local" → project ${sandbox.credentials.projectId}`);
	});
});
