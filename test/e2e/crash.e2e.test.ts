// Crash test against the real Tiledesk server (live lane: CONTRACT_TARGETS=real with TILEDESK_* set): the built
// CLI is SIGKILLed at seeded random moments while importing, re-run until it completes, then the server is read
// back: every message exactly once, in import key order; the journal replays. The sandbox variant, which always
// runs, is test/reliability/crash.test.ts. Seed: RELIABILITY_SEED.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {crashAndResume, readTranscript, seedFrom, writeTranscript} from '../helpers/crash.js';
import {contractTargets} from '../helpers/targets.js';

const SEED = seedFrom('RELIABILITY_SEED', 20251125);
const real = contractTargets().find((t) => t.name === 'real');

// Skipped when no real server is configured (TILEDESK_URL, TILEDESK_EMAIL, TILEDESK_PASSWORD, TILEDESK_PROJECT_ID):
// the sandbox variant covers the same scenario in every run.
describe.skipIf(!real)('crash and resume (built CLI, real server)', () => {
	let client: TiledeskClient;
	let server: Awaited<ReturnType<NonNullable<typeof real>['connect']>>;
	let dir: string;
	const tag = `crash${Date.now().toString(36)}`;

	beforeAll(async () => {
		server = await real!.connect();
		client = (await TiledeskClient.signIn({baseUrl: server.url, projectId: server.credentials.projectId, email: server.credentials.email, password: server.credentials.password})).client;
		dir = mkdtempSync(join(tmpdir(), 'tdi-crash-real-'));
	});
	afterAll(async () => {
		await client?.close();
		await server?.close();
		rmSync(dir, {recursive: true, force: true});
	});

	it(`SIGKILL at random moments, re-run until done: every message exactly once on the real server (seed ${SEED})`, async () => {
		const file = join(dir, 'crash.jsonl');
		writeTranscript(file, 200, 4, tag);
		const conversations = await readTranscript(file);
		const outcome = await crashAndResume({
			url: server.url,
			projectId: server.credentials.projectId,
			email: server.credentials.email,
			password: server.credentials.password,
			file,
			conversations,
			source: `${tag}-real`,
			stateHome: join(dir, 'state'),
			reportDir: join(dir, 'reports'),
			seed: SEED,
			kills: 8,
			workPerConversation: 8,
			maxTimeMs: 3000,
			maxStartupMs: 1500,
			extraArgs: ['--batch-size', '2'],
			api: client,
			deadlineMs: 40_000,
		});
		console.info(`[crash real] seed ${SEED}: ${outcome.kills.length} kill points hit (${outcome.kills.map((k) => `${k.kind}:${k.at}`).join(', ')}), ${outcome.missed.length} missed, ${outcome.runs} runs, events per run ${outcome.events.join('/')}; read back ${outcome.readBack.stored} of ${outcome.readBack.expected} messages; journal ${outcome.journal.lines} lines, ${outcome.journal.damaged} damaged`);
		expect(outcome.final.code, outcome.final.stderr).toBe(0);
		expect(outcome.kills.length).toBeGreaterThanOrEqual(6);
		const r = outcome.readBack;
		expect({duplicated: r.duplicated, missing: r.missing, missingConversations: r.missingConversations, misordered: r.misordered, mismatched: r.mismatched, foreign: r.foreign}).toEqual({
			duplicated: [],
			missing: [],
			missingConversations: [],
			misordered: [],
			mismatched: [],
			foreign: 0,
		});
		expect(r.stored).toBe(800);
		expect(outcome.journal.files).toBe(1);
		expect(outcome.journal.damaged).toBeLessThanOrEqual(outcome.kills.length);
		expect(outcome.journal.done).toBe(200);
	}, 90_000);
});
