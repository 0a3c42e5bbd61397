// Signals (built CLI, sandbox): SIGINT and SIGTERM during planning, during the run, and twice (abort) end the
// headless import with exit 130, a journal that replays and never claims a conversation the server does not
// fully hold, and a re-run that completes exactly once. Ctrl+C semantics (source/commands/import.ts): once =
// graceful stop at the next step; twice = abort in-flight calls; three times = exit at once.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Conversation} from '../../source/core/model/transcript.js';
import {startSandbox, type Sandbox} from '../../source/core/sandbox/server.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {checkJournals, exactlyOnce, journalClaims, journalFiles, readBack, readTranscript, runCli, writeTranscript, type CliRun} from '../helpers/crash.js';

describe('signals (built CLI, sandbox)', () => {
	let sandbox: Sandbox;
	let client: TiledeskClient;
	let dir: string;

	beforeAll(async () => {
		sandbox = await startSandbox({port: 0});
		client = (await TiledeskClient.signIn({baseUrl: sandbox.url, projectId: sandbox.credentials.projectId, email: sandbox.credentials.email, password: sandbox.credentials.password})).client;
		dir = mkdtempSync(join(tmpdir(), 'tdi-signals-'));
	});
	afterAll(async () => {
		await client?.close();
		await sandbox?.close();
		rmSync(dir, {recursive: true, force: true});
	});

	async function job(name: string, count: number, messages: number): Promise<{file: string; conversations: Conversation[]; stateHome: string; env: Record<string, string>; args: string[]}> {
		const file = join(dir, `${name}.jsonl`);
		writeTranscript(file, count, messages, name);
		const stateHome = join(dir, `state-${name}`);
		const env = {
			TILEDESK_URL: sandbox.url,
			TILEDESK_PROJECT_ID: sandbox.credentials.projectId,
			TILEDESK_EMAIL: sandbox.credentials.email,
			TILEDESK_PASSWORD: sandbox.credentials.password,
			XDG_STATE_HOME: stateHome,
		};
		return {file, conversations: await readTranscript(file), stateHome, env, args: ['import', file, '--yes', '--json', '--source', name, '--report-dir', join(dir, 'reports'), '--batch-size', '2']};
	}

	/** After the interrupted run: exit 130, journal parses, every conversation it calls done is complete on the server; then a re-run completes exactly once. */
	async function expectResumable(j: Awaited<ReturnType<typeof job>>, name: string, interrupted: CliRun): Promise<void> {
		expect(interrupted.signal, interrupted.stderr).toBeNull();
		expect(interrupted.code, interrupted.stderr).toBe(130);
		const last = JSON.parse(interrupted.stdout.trim().split('\n').at(-1)!) as {type: string; stop: {kind: string}};
		expect(last).toMatchObject({type: 'run-finished', stop: {kind: 'cancelled'}});
		const journal = checkJournals(j.stateHome);
		expect(journal).toMatchObject({files: 1, damaged: 0});
		const claimed = journalClaims(j.stateHome);
		const claimedConversations = j.conversations.filter((c) => claimed.has(c.id));
		const partial = await readBack(client, sandbox.credentials.projectId, name, claimedConversations);
		expect(exactlyOnce(partial), `journal claims ${claimed.size} done`).toBe(true);
		const again = await runCli(j.args, j.env, {deadlineMs: 30_000});
		expect(again.code, again.stderr).toBe(0);
		const r = await readBack(client, sandbox.credentials.projectId, name, j.conversations);
		expect({duplicated: r.duplicated, missing: r.missing, misordered: r.misordered}).toEqual({duplicated: [], missing: [], misordered: []});
		expect(exactlyOnce(r)).toBe(true);
	}

	it('SIGINT during planning: nothing is imported, exit 130; a re-run imports everything exactly once', async () => {
		const j = await job('sigplan', 600, 3);
		let planned = false;
		let sentWhilePlanning: boolean | undefined;
		let poll: NodeJS.Timeout | undefined;
		const events: string[] = [];
		const run = await runCli(j.args, j.env, {
			deadlineMs: 30_000,
			// The journal is opened when planning starts; run-planned is printed when it ends.
			onSpawn: (kill) => {
				poll = setInterval(() => {
					if (journalFiles(j.stateHome).length === 0) return;
					clearInterval(poll);
					sentWhilePlanning = !planned;
					kill('SIGINT');
				}, 2);
			},
			onEvent: (e) => {
				events.push(e.type);
				if (e.type === 'run-planned') planned = true;
			},
		}).finally(() => clearInterval(poll));
		expect(sentWhilePlanning).toBe(true);
		expect(events).not.toContain('conversation-started');
		const state = sandbox.control.state() as {requests: {request_id: string; attributes?: {import_source?: string}}[]};
		expect(state.requests.filter((r) => r.attributes?.import_source === 'sigplan')).toHaveLength(0);
		await expectResumable(j, 'sigplan', run);
	});

	it.each(['SIGINT', 'SIGTERM'] as const)('%s while signing in (before the import starts): ends at once, nothing written, no journal', async (signal) => {
		const name = `early-${signal.toLowerCase()}`;
		const j = await job(name, 5, 2);
		sandbox.control.setFaults({latencyMs: 500});
		const run = await runCli(j.args, j.env, {afterMs: 300, signal, deadlineMs: 30_000}).finally(() => sandbox.control.setFaults({}));
		// The engine's handlers are installed when the import starts; before that the default action ends the process
		// (a shell reports 128 + signal number). Nothing was written, so there is nothing to resume.
		expect(run.code === 130 || run.signal === signal, `${run.code} ${run.signal}`).toBe(true);
		expect(run.stdout).toBe('');
		expect(journalFiles(j.stateHome)).toEqual([]);
		const state = sandbox.control.state() as {requests: {attributes?: {import_source?: string}}[]};
		expect(state.requests.filter((r) => r.attributes?.import_source === name)).toHaveLength(0);
	});

	it.each([
		['SIGINT', 'sigint'],
		['SIGTERM', 'sigterm'],
	] as const)('%s during the run: graceful stop, exit 130, journal consistent; a re-run completes exactly once', async (signal, name) => {
		const j = await job(name, 120, 4);
		let finished = 0;
		let cancelling = 0;
		const run = await runCli(j.args, j.env, {
			deadlineMs: 30_000,
			onEvent: (e, kill) => {
				if (e.type === 'cancelling') cancelling++;
				if (e.type === 'conversation-finished' && ++finished === 25) kill(signal);
			},
		});
		expect(cancelling).toBe(1);
		expect(run.stderr).toContain('Stopping after the current step');
		const state = sandbox.control.state() as {requests: {attributes?: {import_source?: string}}[]};
		const created = state.requests.filter((r) => r.attributes?.import_source === name).length;
		expect(created).toBeGreaterThanOrEqual(25);
		expect(created).toBeLessThan(120);
		await expectResumable(j, name, run);
	});

	it.each([
		['SIGINT', 'sigint2', 2],
		['SIGTERM', 'sigterm2', 2],
		['SIGINT', 'sigint3', 3],
	] as const)('%s twice or three times (abort in-flight calls; exit now): exit 130 at once, journal consistent; a re-run completes exactly once', async (signal, name, times) => {
		const j = await job(name, 120, 4);
		// Slow answers, so calls are in flight when the signals arrive: a graceful stop would wait for them.
		const latencyMs = 600;
		sandbox.control.setFaults({latencyMs});
		let started = 0;
		let lastSignalAt = 0;
		let sent = 0;
		const send = (kill: (s: NodeJS.Signals) => void) => {
			sent++;
			lastSignalAt = Date.now();
			kill(signal);
		};
		const run = await runCli(j.args, j.env, {
			deadlineMs: 30_000,
			onEvent: (e, kill) => {
				// Four conversations in flight, each waiting for a slow answer: the first signal asks for a graceful stop,
				// and once the process says it is stopping, the next signal(s) abort.
				if (e.type === 'conversation-started' && ++started === 4) send(kill);
				if (e.type === 'cancelling') for (let i = 1; i < times; i++) send(kill);
			},
		}).finally(() => sandbox.control.setFaults({}));
		const exitedAfter = Date.now() - lastSignalAt;
		expect(sent).toBe(times);
		// Aborted: in-flight calls are dropped instead of awaited (an answer takes 600 ms).
		expect(exitedAfter).toBeLessThan(latencyMs / 2);
		if (times === 3) {
			// Exit at once (or, if the second and third signal arrived together, abort): either way the journal was
			// written line by line and still replays.
			expect(run.code).toBe(130);
			expect(checkJournals(j.stateHome)).toMatchObject({files: 1, damaged: 0});
			const again = await runCli(j.args, j.env, {deadlineMs: 30_000});
			expect(again.code, again.stderr).toBe(0);
			expect(exactlyOnce(await readBack(client, sandbox.credentials.projectId, name, j.conversations))).toBe(true);
		} else await expectResumable(j, name, run);
	});
});
