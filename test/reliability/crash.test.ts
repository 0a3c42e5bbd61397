// Crash test (sandbox): the built CLI imports a few hundred conversations and is SIGKILLed at seeded random
// moments (after k NDJSON events, and after t ms of wall time), re-run each time, until a run completes. Then
// everything is read back from the sandbox: every message exactly once, in import key order, and the journal
// replays. The real-server variant is test/e2e/crash.e2e.test.ts. Seed: RELIABILITY_SEED (default below).
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../../source/core/sandbox/server.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {crashAndResume, exactlyOnce, readTranscript, seedFrom, writeTranscript} from '../helpers/crash.js';

const SEED = seedFrom('RELIABILITY_SEED', 20251125);

describe('crash and resume (built CLI, sandbox)', () => {
	let sandbox: Sandbox;
	let client: TiledeskClient;
	let dir: string;

	beforeAll(async () => {
		sandbox = await startSandbox({port: 0});
		client = (await TiledeskClient.signIn({baseUrl: sandbox.url, projectId: sandbox.credentials.projectId, email: sandbox.credentials.email, password: sandbox.credentials.password})).client;
		dir = mkdtempSync(join(tmpdir(), 'tdi-crash-'));
	});
	afterAll(async () => {
		await client?.close();
		await sandbox?.close();
		rmSync(dir, {recursive: true, force: true});
	});

	it(`SIGKILL at random event counts and wall times, re-run until done: every message exactly once (seed ${SEED})`, async () => {
		const file = join(dir, 'crash.jsonl');
		writeTranscript(file, 300, 5, 'crash');
		const conversations = await readTranscript(file);
		const outcome = await crashAndResume({
			url: sandbox.url,
			projectId: sandbox.credentials.projectId,
			email: sandbox.credentials.email,
			password: sandbox.credentials.password,
			file,
			conversations,
			source: 'crash-sandbox',
			stateHome: join(dir, 'state'),
			reportDir: join(dir, 'reports'),
			seed: SEED,
			kills: 10,
			workPerConversation: 9,
			maxTimeMs: 600,
			maxStartupMs: 700,
			extraArgs: ['--batch-size', '2'],
			api: client,
			deadlineMs: 30_000,
		});
		console.info(`[crash sandbox] seed ${SEED}: ${outcome.kills.length} kill points hit (${outcome.kills.map((k) => `${k.kind}:${k.at}`).join(', ')}), ${outcome.missed.length} missed, ${outcome.runs} runs, events per run ${outcome.events.join('/')}; read back ${outcome.readBack.stored} of ${outcome.readBack.expected} messages; journal ${outcome.journal.lines} lines, ${outcome.journal.damaged} damaged`);
		expect(outcome.final.code, outcome.final.stderr).toBe(0);
		const r = outcome.readBack;
		expect({duplicated: r.duplicated, missing: r.missing, missingConversations: r.missingConversations, misordered: r.misordered, mismatched: r.mismatched, foreign: r.foreign}).toEqual({
			duplicated: [],
			missing: [],
			missingConversations: [],
			misordered: [],
			mismatched: [],
			foreign: 0,
		});
		expect(r.stored).toBe(1500);
		expect(exactlyOnce(r)).toBe(true);
		// The sandbox holds exactly one request per conversation (request ids are deterministic and unique).
		expect((sandbox.control.state() as {requests: unknown[]}).requests).toHaveLength(300);
		// Every journal line parses, except at most one torn line per kill; the last run ended the journal.
		expect(outcome.journal.files).toBe(1);
		expect(outcome.journal.damaged).toBeLessThanOrEqual(outcome.kills.length);
		expect(outcome.journal.done).toBe(300);
		expect(outcome.final.stdout.trim().split('\n').at(-1)).toMatch(/"type":"run-finished".*"stop":\{"kind":"completed"\}/);
		// The harness really crashed the import, most of the 10 times (a seed can finish the work before its last kill
		// points come: seed 1 hits 6).
		expect(outcome.kills.length).toBeGreaterThanOrEqual(5);
	}, 60_000);
});
