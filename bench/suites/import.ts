/**
 * Import throughput, in the same run, of three contenders doing the same work (N conversations × M messages):
 * - seed: the seed's flow as written — Basic auth, one conversation at a time: signinAnonymously → create request
 *   → one messages/multi call;
 * - bare: the same three calls with JWT and K conversations in flight, no bookkeeping at all (the ceiling);
 * - ours: the import engine (read first, requester, create, batches, full read-back verification, journal).
 * Against the sandbox at 0, 20 and 100 ms injected latency (a separate process), and against a real Tiledesk
 * server when TILEDESK_URL, TILEDESK_EMAIL, TILEDESK_PASSWORD and TILEDESK_PROJECT_ID are set.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Agent, request} from 'undici';
import {connect} from '../../source/core/connection/connect.js';
import {ImportRun} from '../../source/core/import/engine.js';
import {importOptions} from '../../source/core/import/options.js';
import {openSource} from '../../source/core/import/source.js';
import {sandbox, workload, type Server, type ServerArgs} from '../lib/servers.js';
import {fmt, median} from '../lib/stats.js';
import type {ChildResult, Suite, SuiteResult, Table} from '../lib/types.js';

interface TaskArgs extends ServerArgs {
	path: string;
	conversations: number;
	messages: number;
	concurrency: number;
	tag: string;
}

/** Reads the workload back into per-conversation arrays (outside the timed part of the raw contenders). */
async function conversationsOf(path: string) {
	const source = await openSource(path, path, {timezone: 'UTC'});
	const out: {id: string; name: string; messages: {text: string; senderName: string; role: string; ts: number}[]}[] = [];
	for await (const item of source.items()) {
		const c = item.conversation!;
		out.push({id: c.id, name: c.requester.name ?? c.requester.id, messages: c.messages.map((m) => ({text: m.text, senderName: m.senderName ?? m.senderId, role: m.role, ts: m.clientTimestamp}))});
	}
	return out;
}

/** The seed's three calls for one conversation, with a given Authorization header. */
async function seedCalls(dispatcher: Agent, a: TaskArgs, auth: string, c: Awaited<ReturnType<typeof conversationsOf>>[number]): Promise<void> {
	const call = async (method: 'POST', path: string, body: unknown, authorization?: string) => {
		const r = await request(`${a.url}${path}`, {method, dispatcher, headers: {'content-type': 'application/json', ...(authorization ? {authorization} : {})}, body: JSON.stringify(body)});
		const text = await r.body.text();
		if (r.statusCode !== 200) throw new Error(`${path} → ${r.statusCode} ${text.slice(0, 200)}`);
		return JSON.parse(text) as {user?: {_id: string}};
	};
	const guest = await call('POST', '/auth/signinAnonymously', {id_project: a.projectId, firstname: c.name});
	const rid = seedRequestId(a, c);
	await call('POST', `/${a.projectId}/requests`, {request_id: rid, first_text: c.messages[0]?.text ?? 'x', sender: guest.user!._id}, auth);
	await call('POST', `/${a.projectId}/requests/${rid}/messages/multi`, c.messages.map((m) => ({sender: guest.user!._id, senderFullname: m.senderName, text: m.text, attributes: {clienttimestamp: m.ts}})), auth);
}

/**
 * Deletes the conversations a contender created (their messages go with them), after its clock stopped, so that
 * every contender meets the same database. The real local server's CongoDB has no indexes: each lookup by
 * request id or recipient scans its collection, so without this a run is slower the more runs came before it
 * (the bare loop +15 % after 400 conversations), which Tiledesk's MongoDB, with indexes on both, is not.
 */
async function cleanUp(a: TaskArgs, requestIds: string[]): Promise<number> {
	const t0 = performance.now();
	const dispatcher = new Agent({keepAliveTimeout: 10_000});
	try {
		const signin = await request(`${a.url}/auth/signin`, {method: 'POST', dispatcher, headers: {'content-type': 'application/json'}, body: JSON.stringify({email: a.email, password: a.password})});
		const {token} = (await signin.body.json()) as {token: string};
		const queue = [...requestIds];
		await Promise.all(Array.from({length: 4}, async () => {
			for (let rid = queue.shift(); rid; rid = queue.shift()) {
				const r = await request(`${a.url}/${a.projectId}/requests/${encodeURIComponent(rid)}`, {method: 'DELETE', dispatcher, headers: {authorization: token}});
				const text = await r.body.text();
				if (r.statusCode !== 200) throw new Error(`DELETE ${rid} → ${r.statusCode} ${text.slice(0, 200)}`);
			}
		}));
	} finally {
		await dispatcher.close();
	}
	return performance.now() - t0;
}

const seedRequestId = (a: TaskArgs, c: {id: string}) => `support-group-${a.projectId}-${a.tag}${c.id.replace(/\W/g, '')}`;

export const importSuite: Suite = {
	name: 'import',
	tasks: {
		async 'import:seed'(raw) {
			const a = raw as unknown as TaskArgs;
			const conversations = await conversationsOf(a.path);
			const dispatcher = new Agent({keepAliveTimeout: 10_000});
			const basic = `Basic ${Buffer.from(`${a.email}:${a.password}`).toString('base64')}`;
			const t0 = performance.now();
			for (const c of conversations) await seedCalls(dispatcher, a, basic, c);
			const wallMs = performance.now() - t0;
			await dispatcher.close();
			const cleanupMs = await cleanUp(a, conversations.map((c) => seedRequestId(a, c)));
			return {wallMs, conversations: conversations.length, cleanupMs};
		},
		async 'import:bare'(raw) {
			const a = raw as unknown as TaskArgs;
			const conversations = await conversationsOf(a.path);
			const dispatcher = new Agent({keepAliveTimeout: 10_000});
			const t0 = performance.now();
			const signin = await request(`${a.url}/auth/signin`, {method: 'POST', dispatcher, headers: {'content-type': 'application/json'}, body: JSON.stringify({email: a.email, password: a.password})});
			const {token} = (await signin.body.json()) as {token: string};
			const queue = [...conversations];
			await Promise.all(Array.from({length: a.concurrency}, async () => {
				for (let c = queue.shift(); c; c = queue.shift()) await seedCalls(dispatcher, a, token, c);
			}));
			const wallMs = performance.now() - t0;
			await dispatcher.close();
			const cleanupMs = await cleanUp(a, conversations.map((c) => seedRequestId(a, c)));
			return {wallMs, conversations: conversations.length, cleanupMs};
		},
		async 'import:ours'(raw) {
			const a = raw as unknown as TaskArgs;
			const work = mkdtempSync(join(tmpdir(), 'tdi-bench-'));
			const source = await openSource(a.path, a.path, {timezone: 'UTC'});
			const t0 = performance.now();
			const connected = await connect({baseUrl: a.url, projectId: a.projectId, email: a.email, password: a.password}, {needRole: 'agent'});
			const run = new ImportRun({
				api: connected.client,
				connection: connected.info,
				source,
				options: importOptions({source: `bench-${a.tag}`, ...(a.concurrency ? {concurrency: a.concurrency} : {})}),
				toolVersion: 'bench',
				journalPath: join(work, 'journal.ndjson'),
				reportDir: false,
				roundTripMs: connected.roundTripMs,
			});
			const outcome = await run.start();
			const wallMs = performance.now() - t0;
			await connected.client.close();
			rmSync(work, {recursive: true, force: true});
			if (outcome.totals.byStatus.imported !== outcome.totals.conversations) throw new Error(`not all imported: ${JSON.stringify(outcome.totals.byStatus)}`);
			const cleanupMs = await cleanUp(a, outcome.results.map((r) => r.requestId));
			return {wallMs, conversations: outcome.totals.conversations, apiCalls: outcome.totals.apiCalls, cleanupMs};
		},
	},
	async run(ctx): Promise<SuiteResult> {
		const root = join(ctx.dataDir, '..', '..', '..');
		const quick = ctx.quick;
		const table: Table = {columns: ['Server', 'Workload', 'Seed flow', 'Bare loop (4 in flight)', 'Ours (verified)', 'Ours conv/min', 'Ours msg/s', 'Ours ÷ seed', 'Ours ÷ bare', 'Ours ÷ seed, per round', 'Ours ÷ bare, per round', 'Bare ÷ seed, per round'], rows: []};
		const notes: string[] = [];
		const targets: {name: string; latency?: number; conversations: number; messages: number}[] = [
			{name: 'sandbox, 0 ms', latency: 0, conversations: quick ? 60 : 200, messages: 8},
			{name: 'sandbox, 20 ms', latency: 20, conversations: 60, messages: 8},
			// A few hundred conversations, as in a real import: with a handful the ratio measures how many fit in one wave.
			{name: 'sandbox, 100 ms', latency: 100, conversations: quick ? 60 : 200, messages: 8},
		];
		const real = process.env['TILEDESK_URL'] && process.env['TILEDESK_EMAIL'] && process.env['TILEDESK_PASSWORD'] && process.env['TILEDESK_PROJECT_ID'];
		if (real) targets.push({name: 'real local server', conversations: quick ? 60 : 200, messages: 8});
		for (const t of targets) {
			const server: Server =
				t.latency !== undefined
					? await sandbox(root, t.latency)
					: {url: process.env['TILEDESK_URL']!, email: process.env['TILEDESK_EMAIL']!, password: process.env['TILEDESK_PASSWORD']!, projectId: process.env['TILEDESK_PROJECT_ID']!, close: async () => {}};
			try {
				const path = workload(join(ctx.dataDir, 'import'), t.conversations, t.messages);
				const results: Record<string, ChildResult[]> = {seed: [], bare: [], ours: []};
				// Rounds in alternating order (seed, bare, ours, then ours, bare, seed, …): a drift of the machine's speed
				// during the suite is shared out between the contenders. Each one deletes what it created (cleanUp).
				const repeat = ctx.quick ? 1 : ctx.repeat;
				for (let i = 0; i < repeat; i++) {
					for (const who of i % 2 === 0 ? (['seed', 'bare', 'ours'] as const) : (['ours', 'bare', 'seed'] as const)) {
						const tag = `${who}${Date.now().toString(36)}${i}`;
						ctx.log(`import: ${t.name} ${who} (${t.conversations} × ${t.messages}) run ${i + 1}/${repeat}`);
						results[who]!.push(await ctx.child(`import:${who}`, {...server, close: undefined, path, conversations: t.conversations, messages: t.messages, concurrency: who === 'bare' ? 4 : 0, tag}));
					}
				}
				const walls = (who: string) => results[who]!.map((r) => Number(r['wallMs']));
				const wall = (who: string) => median(walls(who));
				const [seed, bare, ours] = [wall('seed'), wall('bare'), wall('ours')];
				// Per round: the contender's time ÷ ours in the same round (each round's three runs are back to back).
				const ratios = (over: string) => walls(over).map((w, i) => w / walls('ours')[i]!);
				const range = (xs: number[], f: (x: number) => string) => `${f(Math.min(...xs))} … ${f(Math.max(...xs))}`;
				const times = (x: number) => `${x.toFixed(1)}×`;
				const percent = (x: number) => `${(x * 100).toFixed(0)} %`;
				const seedRatios = ratios('seed');
				table.rows.push([
					t.name,
					`${t.conversations} × ${t.messages}`,
					fmt.ms(seed),
					fmt.ms(bare),
					fmt.ms(ours),
					((t.conversations / ours) * 60_000).toFixed(0),
					((t.conversations * t.messages) / (ours / 1000)).toFixed(0),
					times(seed / ours),
					percent(bare / ours),
					range(seedRatios, times),
					range(ratios('bare'), percent),
					// What the ceiling itself reaches against the seed: no importer doing the same writes can do much better.
					range(walls('seed').map((w, i) => w / walls('bare')[i]!), times),
				]);
				// A target is met when the medians meet it; "in every round" says whether the worst round did too.
				const verdict = (value: number, target: number, each: number[]) => (value >= target ? (Math.min(...each) >= target ? 'met, in every round' : `met by the medians, not in every round (worst ${Math.min(...each).toFixed(2)})`) : 'NOT met');
				if (t.latency === 100) notes.push(`Sandbox at 100 ms latency: ours is ${times(seed / ours)} the seed's flow (target ≥ 20×: ${verdict(seed / ours, 20, seedRatios)}).`);
				if (t.latency === undefined) {
					notes.push(`Real local server: ours is ${times(seed / ours)} the seed's flow (target ≥ 5×: ${verdict(seed / ours, 5, seedRatios)}) and ${percent(bare / ours)} of the bare concurrent loop (target ≥ 80 %: ${verdict(bare / ours, 0.8, ratios('bare'))}); ${((t.conversations / ours) * 60_000).toFixed(0)} conversations/min with full read-back verification.`);
				}
			} finally {
				await server.close();
			}
		}
		return {
			title: 'Import throughput',
			method: [
				'Each contender runs in its own Node process against the same server, one after the other, on the same workload (JSONL, N conversations × 8 messages, three roles), in rounds of alternating order (seed, bare, ours, then ours, bare, seed, …; `--repeat N` rounds, default 3, one with `--quick`); medians are reported, and per round the ratio of the runs made back to back. After its clock stops, each contender deletes the conversations it created (their messages go with them), so every run meets the same database: the real local server\'s CongoDB has no indexes and scans a collection on every lookup by request id or recipient, so without the deletes each run was slower than the one before (the bare loop 15 % slower after 400 conversations), which Tiledesk\'s MongoDB, with indexes on both, is not. Requesters (guests, leads) stay.',
				'**Seed flow**: the seed as written — Basic auth, one conversation at a time, `signinAnonymously` → create request → one `messages/multi`.',
				'**Bare loop**: the same three calls with JWT, 4 conversations in flight, no reads, no journal, no verification (the ceiling for that work). Its own ratio to the seed (last column) bounds ours: on the real local server both are limited by the server\'s main thread, and ours asks it for the same writes plus two reads.',
				'**Ours**: `ImportRun` with default options — per conversation: read the request (once the run has found new ones, its requester is asked for during that read), create, message batches, read back and verify every message by import key; journal on disk.',
				'The sandbox runs as a separate process (`tiledesk-import sandbox --latency MS`); the real server row appears when `TILEDESK_URL`, `TILEDESK_EMAIL`, `TILEDESK_PASSWORD`, `TILEDESK_PROJECT_ID` are set (e.g. from `tiledesk-local.sh bootstrap`). Times are wall times of the whole import including sign-in.',
			].join('\n'),
			tables: [table],
			notes,
		};
	},
};
