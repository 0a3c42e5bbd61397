// Fault injection against the real Tiledesk server (live lane): the engine in-process imports through the fault
// proxy (5xx, 429 + Retry-After, resets before forwarding and after the server answered, responses cut mid-body,
// hung responses) placed in front of the real server, which is then read back directly: every message exactly
// once. The sandbox variant, which always runs, is test/reliability/faults.test.ts. Seed: RELIABILITY_SEED.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {exactlyOnce, readTranscript, seedFrom, writeTranscript} from '../helpers/crash.js';
import {describeCounts, FAULT_KINDS, importThroughFaults} from '../helpers/fault-proxy.js';
import {contractTargets} from '../helpers/targets.js';

const SEED = seedFrom('RELIABILITY_SEED', 20251125);
const real = contractTargets().find((t) => t.name === 'real');

// Skipped when no real server is configured (TILEDESK_URL, TILEDESK_EMAIL, TILEDESK_PASSWORD, TILEDESK_PROJECT_ID):
// the sandbox variant covers the same scenario in every run.
describe.skipIf(!real)('fault injection (engine in-process, fault proxy in front of the real server)', () => {
	let server: Awaited<ReturnType<NonNullable<typeof real>['connect']>>;
	let dir: string;
	const tag = `faults${Date.now().toString(36)}`;

	beforeAll(async () => {
		server = await real!.connect();
		dir = mkdtempSync(join(tmpdir(), 'tdi-faults-real-'));
	});
	afterAll(async () => {
		await server?.close();
		rmSync(dir, {recursive: true, force: true});
	});

	it(`imports exactly once through every kind of fault (seed ${SEED})`, async () => {
		const file = join(dir, 'faults.jsonl');
		writeTranscript(file, 36, 5, tag);
		const conversations = await readTranscript(file);
		const r = await importThroughFaults({
			serverUrl: server.url,
			projectId: server.credentials.projectId,
			email: server.credentials.email,
			password: server.credentials.password,
			file,
			conversations,
			source: `${tag}-real`,
			journalPath: join(dir, 'faults.ndjson'),
			seed: SEED,
			rates: {error5xx: 0.06, rateLimit: 0.002, resetBefore: 0.05, resetAfter: 0.06, resetMidResponse: 0.05, hang: 0.015},
			// A real server under load can take longer than the sandbox: give it 4 s before a call counts as hung.
			timeouts: {headersMs: 4000, bodyMs: 4000},
			options: {batchSize: 2, concurrency: 4},
		});
		console.info(`[faults proxy→real] seed ${SEED}: ${describeCounts(r.counts)}; engine retries ${r.outcome.totals.retries}, api calls ${r.outcome.totals.apiCalls}, ${r.outcome.totals.durationMs} ms`);
		expect(r.outcome.stop).toEqual({kind: 'completed'});
		expect(r.outcome.totals.byStatus.imported).toBe(36);
		for (const kind of FAULT_KINDS) expect(r.counts[kind], kind).toBeGreaterThan(0);
		const b = r.readBack;
		expect({duplicated: b.duplicated, missing: b.missing, misordered: b.misordered, mismatched: b.mismatched, foreign: b.foreign}).toEqual({duplicated: [], missing: [], misordered: [], mismatched: [], foreign: 0});
		expect(b.stored).toBe(180);
		expect(exactlyOnce(b)).toBe(true);
	}, 90_000);
});
