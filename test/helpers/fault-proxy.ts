/**
 * A fault-injecting HTTP proxy for the reliability tests (loopback only): it sits between the importer and a
 * server (the sandbox, or the real Tiledesk server in the live lane) and, at seeded configurable rates, answers
 * 5xx or 429 with Retry-After without forwarding, resets the connection before forwarding (the request never
 * reaches the server), resets it after the server answered (the write applied, the client sees a reset), cuts
 * the response in the middle of its body, or forwards and never answers (the client must time out). It counts
 * every fault it injected.
 */
import {createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import type {RunOutcome} from '../../source/core/import/engine.js';
import type {ImportOptionsInput} from '../../source/core/import/options.js';
import type {Conversation} from '../../source/core/model/transcript.js';
import type {TiledeskApi} from '../../source/core/tiledesk/api.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {importInProcess, readBack, seededRandom, type ReadBack} from './crash.js';

export const FAULT_KINDS = ['error5xx', 'rateLimit', 'resetBefore', 'resetAfter', 'resetMidResponse', 'hang'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Share (0…1) of matching requests that get each fault; at most one fault per request. */
export type FaultRates = Partial<Record<FaultKind, number>>;

export interface FaultProxyOptions {
	/** Upstream base, e.g. http://127.0.0.1:3033 (its path prefix is kept). */
	target: string;
	seed?: number;
	rates?: FaultRates;
	/** Retry-After seconds sent with 429 (default 1). */
	retryAfterSeconds?: number;
	/** Only requests whose path (after the target's prefix) matches are faulted (default: all). */
	onlyPaths?: RegExp;
	/**
	 * Inject each kind that has a nonzero rate at least once, whatever the seed: on every 7th write (POST/PUT/DELETE)
	 * after the rates are set, the next kind not yet injected, until each has been.
	 */
	ensureEach?: boolean;
}

export interface FaultCounts extends Record<FaultKind, number> {
	/** Requests received. */
	requests: number;
	/** Requests the upstream received (every fault except error5xx, rateLimit and resetBefore forwards). */
	forwarded: number;
	/** Faults on writes (POST/PUT/DELETE) that reached the server: the write applied but the client did not learn it. */
	appliedWrites: number;
}

export interface FaultProxy {
	url: string;
	counts: FaultCounts;
	setRates(rates: FaultRates): void;
	/** The total of injected faults. */
	injected(): number;
	close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer', 'host', 'content-length']);

function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
	return out;
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
	const target = new URL(options.target);
	if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error(`the fault proxy only forwards to loopback, not ${target.hostname}`);
	const prefix = target.pathname.replace(/\/+$/, '');
	const random = seededRandom(options.seed ?? 1);
	let rates: FaultRates = {};
	const counts: FaultCounts = {requests: 0, forwarded: 0, appliedWrites: 0, error5xx: 0, rateLimit: 0, resetBefore: 0, resetAfter: 0, resetMidResponse: 0, hang: 0};
	const sockets = new Set<Socket>();

	let owed: FaultKind[] = [];
	let writes = 0;
	const setRates = (r: FaultRates) => {
		rates = r;
		owed = options.ensureEach ? FAULT_KINDS.filter((k) => (r[k] ?? 0) > 0 && counts[k] === 0) : [];
		writes = 0;
	};
	setRates(options.rates ?? {});

	const pick = (path: string, write: boolean): FaultKind | undefined => {
		if (options.onlyPaths && !options.onlyPaths.test(path)) return undefined;
		if (write && owed.length > 0 && ++writes % 7 === 0) return owed.shift();
		const r = random();
		let edge = 0;
		for (const kind of FAULT_KINDS) {
			edge += rates[kind] ?? 0;
			if (r < edge) return kind;
		}
		return undefined;
	};

	const upstream = (req: IncomingMessage, body: Buffer): Promise<{status: number; headers: IncomingHttpHeaders; body: Buffer}> =>
		new Promise((resolve, reject) => {
			const out = httpRequest(
				{hostname: target.hostname.replace(/^\[|\]$/g, ''), port: target.port || 80, method: req.method, path: `${prefix}${req.url ?? '/'}`, headers: {...forwardHeaders(req.headers), 'content-length': String(body.length)}},
				(res) => {
					readAll(res).then((b) => resolve({status: res.statusCode ?? 502, headers: res.headers, body: b}), reject);
				},
			);
			out.on('error', reject);
			out.end(body);
		});

	const reply = (res: ServerResponse, status: number, headers: Record<string, string>, body: string) => {
		res.writeHead(status, {'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...headers});
		res.end(body);
	};

	const server = createServer(async (req, res) => {
		counts.requests++;
		let body: Buffer;
		try {
			body = await readAll(req);
		} catch {
			return;
		}
		const path = (req.url ?? '/').split('?')[0] ?? '/';
		const write = req.method !== 'GET' && req.method !== 'HEAD';
		const fault = pick(path, write);
		if (fault) {
			counts[fault]++;
			owed = owed.filter((k) => k !== fault);
		}
		if (fault === 'error5xx') {
			const status = [500, 502, 503][Math.floor(random() * 3)]!;
			return reply(res, status, {}, JSON.stringify({success: false, msg: 'Injected fault'}));
		}
		if (fault === 'rateLimit') return reply(res, 429, {'retry-after': String(options.retryAfterSeconds ?? 1)}, JSON.stringify({success: false, msg: 'Too many requests'}));
		if (fault === 'resetBefore') return void req.socket.destroy();
		let answer;
		try {
			counts.forwarded++;
			answer = await upstream(req, body);
		} catch {
			return reply(res, 502, {}, JSON.stringify({msg: 'proxy: upstream unreachable'}));
		}
		if (fault && write && answer.status < 300) counts.appliedWrites++;
		if (fault === 'resetAfter') return void req.socket.destroy();
		if (fault === 'hang') return; // the socket stays open and silent until the client gives up
		const headers: Record<string, string | string[]> = forwardHeaders(answer.headers);
		headers['content-length'] = String(answer.body.length);
		res.writeHead(answer.status, headers);
		if (fault === 'resetMidResponse') {
			res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
			// Let the partial body leave before the reset.
			setTimeout(() => req.socket.destroy(), 5);
			return;
		}
		res.end(answer.body);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}${prefix}`,
		counts,
		setRates,
		injected: () => FAULT_KINDS.reduce((sum, k) => sum + counts[k], 0),
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
}

export interface FaultScenario {
	/** The server itself (read-back goes here directly, never through the proxy). */
	serverUrl: string;
	projectId: string;
	email: string;
	password: string;
	file: string;
	conversations: Conversation[];
	source: string;
	journalPath: string;
	seed: number;
	rates: FaultRates;
	retryAfterSeconds?: number;
	options?: ImportOptionsInput;
	/** Client timeouts (default: headers and body 1.5 s, so hung responses fail fast). */
	timeouts?: {connectMs?: number; headersMs?: number; bodyMs?: number};
}

export interface FaultOutcome {
	outcome: RunOutcome;
	events: Record<string, number>;
	counts: FaultCounts;
	readBack: ReadBack;
}

/**
 * The engine in-process imports `file` through a fault proxy (faults switched on once connected), then the
 * server is read back directly.
 */
export async function importThroughFaults(s: FaultScenario): Promise<FaultOutcome> {
	const signed = await TiledeskClient.signIn({baseUrl: s.serverUrl, projectId: s.projectId, email: s.email, password: s.password});
	const proxy = await startFaultProxy({target: s.serverUrl, seed: s.seed, ensureEach: true, ...(s.retryAfterSeconds !== undefined ? {retryAfterSeconds: s.retryAfterSeconds} : {})});
	try {
		const {outcome, events} = await importInProcess({
			url: proxy.url,
			projectId: s.projectId,
			token: signed.token,
			file: s.file,
			source: s.source,
			journalPath: s.journalPath,
			...(s.options ? {options: s.options} : {}),
			...(s.timeouts ? {timeouts: s.timeouts} : {}),
			beforeStart: () => proxy.setRates(s.rates),
		});
		proxy.setRates({});
		const readBack = await readBackFrom(signed.client, s);
		return {outcome, events, counts: {...proxy.counts}, readBack};
	} finally {
		await proxy.close();
		await signed.client.close();
	}
}

function readBackFrom(api: TiledeskApi, s: FaultScenario): Promise<ReadBack> {
	return readBack(api, s.projectId, s.source, s.conversations);
}

/** "5xx 4 · 429 2 · …" for logs and RELIABILITY.md. */
export function describeCounts(c: FaultCounts): string {
	return `${FAULT_KINDS.map((k) => `${k} ${c[k]}`).join(' · ')} (of ${c.requests} requests; ${c.appliedWrites} applied writes the client did not hear about)`;
}
