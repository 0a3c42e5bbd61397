// Fault injection (sandbox): the engine imports through the fault proxy (5xx, 429 + Retry-After, resets before
// forwarding, resets after the server answered, responses cut mid-body, hung responses) and through the
// sandbox's own fault options; the sandbox, read directly, holds every message exactly once. The real-server
// variant is test/e2e/faults.e2e.test.ts. Seed: RELIABILITY_SEED.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type FaultOptions, type Sandbox} from '../../source/core/sandbox/server.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {exactlyOnce, importInProcess, readBack, readTranscript, seedFrom, writeTranscript} from '../helpers/crash.js';
import {describeCounts, FAULT_KINDS, importThroughFaults, startFaultProxy} from '../helpers/fault-proxy.js';

const SEED = seedFrom('RELIABILITY_SEED', 20251125);

const problems = (r: Awaited<ReturnType<typeof readBack>>) => ({duplicated: r.duplicated, missing: r.missing, misordered: r.misordered, mismatched: r.mismatched, foreign: r.foreign});
const none = {duplicated: [], missing: [], misordered: [], mismatched: [], foreign: 0};

describe('fault injection (engine in-process, sandbox)', () => {
	let sandbox: Sandbox;
	let dir: string;

	beforeAll(async () => {
		sandbox = await startSandbox({port: 0, seed: SEED});
		dir = mkdtempSync(join(tmpdir(), 'tdi-faults-'));
	});
	afterAll(async () => {
		await sandbox?.close();
		rmSync(dir, {recursive: true, force: true});
	});

	it('the proxy injects each kind of fault it is asked for, and counts it', async () => {
		const proxy = await startFaultProxy({target: sandbox.url, seed: SEED});
		const client = new TiledeskClient({baseUrl: proxy.url, projectId: sandbox.credentials.projectId, auth: {kind: 'jwt', token: ''}, timeouts: {headersMs: 500, bodyMs: 500}});
		try {
			const seen: Record<string, string> = {};
			for (const kind of FAULT_KINDS) {
				proxy.setRates({[kind]: 1});
				const error = await client.signInAnonymously({firstname: 'Probe'}).then(
					() => undefined,
					(e: Error & {kind?: string}) => e,
				);
				seen[kind] = error?.kind ?? 'ok';
			}
			proxy.setRates({});
			expect(seen).toEqual({error5xx: 'server', rateLimit: 'rate-limited', resetBefore: 'network', resetAfter: 'network', resetMidResponse: 'network', hang: 'timeout'});
			expect(FAULT_KINDS.map((k) => proxy.counts[k])).toEqual([1, 1, 1, 1, 1, 1]);
			// resetAfter, resetMidResponse and hang reached the server: three guests were created although the client saw errors.
			expect(proxy.counts.appliedWrites).toBe(3);
			expect(await client.signInAnonymously({firstname: 'Probe'})).toMatchObject({fullName: 'Probe'});
		} finally {
			await client.close();
			await proxy.close();
		}
	});

	it(`imports exactly once through the fault proxy (every kind of fault, seed ${SEED})`, async () => {
		const file = join(dir, 'proxy.jsonl');
		writeTranscript(file, 30, 6, 'proxy');
		const conversations = await readTranscript(file);
		const r = await importThroughFaults({
			serverUrl: sandbox.url,
			projectId: sandbox.credentials.projectId,
			email: sandbox.credentials.email,
			password: sandbox.credentials.password,
			file,
			conversations,
			source: 'faults-proxy',
			journalPath: join(dir, 'proxy.ndjson'),
			seed: SEED,
			rates: {error5xx: 0.06, rateLimit: 0.001, resetBefore: 0.05, resetAfter: 0.06, resetMidResponse: 0.05, hang: 0.012},
			options: {batchSize: 2, concurrency: 4},
		});
		console.info(`[faults proxy→sandbox] seed ${SEED}: ${describeCounts(r.counts)}; engine retries ${r.outcome.totals.retries}, api calls ${r.outcome.totals.apiCalls}, ${r.outcome.totals.durationMs} ms`);
		expect(r.outcome.stop).toEqual({kind: 'completed'});
		expect(r.outcome.totals.byStatus.imported).toBe(30);
		for (const kind of FAULT_KINDS) expect(r.counts[kind], kind).toBeGreaterThan(0);
		expect(r.counts.appliedWrites).toBeGreaterThan(0);
		expect(problems(r.readBack)).toEqual(none);
		expect(r.readBack.stored).toBe(180);
		expect(exactlyOnce(r.readBack)).toBe(true);
	}, 40_000);

	it(`imports exactly once with the sandbox's own fault options (seed ${SEED})`, async () => {
		const file = join(dir, 'own.jsonl');
		writeTranscript(file, 30, 6, 'own');
		const conversations = await readTranscript(file);
		const signed = await TiledeskClient.signIn({baseUrl: sandbox.url, projectId: sandbox.credentials.projectId, email: sandbox.credentials.email, password: sandbox.credentials.password});
		const faults: FaultOptions = {
			errorRate: 0.06,
			rateLimitRate: 0.008,
			retryAfterSeconds: 1,
			resetRate: 0.05,
			hangRate: 0.012,
			// Faults after the write applied (a multi that saves part of its batch, a reset or a hang after saving).
			partialMultiRate: 0.1,
			resetAfterApplyRate: 0.05,
			hangAfterApplyRate: 0.012,
		};
		try {
			const {outcome, events} = await importInProcess({
				url: sandbox.url,
				projectId: sandbox.credentials.projectId,
				token: signed.token,
				file,
				source: 'faults-own',
				journalPath: join(dir, 'own.ndjson'),
				options: {batchSize: 2, concurrency: 4},
				beforeStart: () => sandbox.control.setFaults(faults),
			});
			sandbox.control.setFaults({});
			console.info(`[faults sandbox-own] seed ${SEED}: retries ${outcome.totals.retries}, rate-limited events ${events['rate-limited'] ?? 0}, api calls ${outcome.totals.apiCalls}, ${outcome.totals.durationMs} ms`);
			expect(outcome.stop).toEqual({kind: 'completed'});
			expect(outcome.totals.byStatus.imported).toBe(30);
			expect(outcome.totals.retries).toBeGreaterThan(0);
			const r = await readBack(signed.client, sandbox.credentials.projectId, 'faults-own', conversations);
			expect(problems(r)).toEqual(none);
			expect(r.stored).toBe(180);
		} finally {
			sandbox.control.setFaults({});
			await signed.client.close();
		}
	}, 40_000);
});
