/**
 * A local Tiledesk-compatible server for rehearsals and tests (plain node:http: a dozen routes need no framework).
 * This module is the HTTP plumbing: body limit (413), JSON parsing (500 on malformed JSON), fault injection
 * (./faults.ts), the control endpoints under /__sandbox, the optional state file (./persist.ts) and the printed
 * connection. The Tiledesk endpoints themselves are in ./routes.ts.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {BODY_LIMIT_BYTES} from '../tiledesk/contract.js';
import {TokenSigner} from './auth.js';
import {Faults, FaultOptionsSchema, type FaultOptions} from './faults.js';
import {loadStateFile, SandboxStateError, StateWriter, writeStateFile} from './persist.js';
import {createRouter, HANG, HttpError} from './routes.js';
import {SandboxState} from './state.js';

export type {FaultOptions} from './faults.js';
export {SandboxStateError} from './persist.js';

export interface SandboxOptions {
	/** Default 0 (any free port). */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	faults?: FaultOptions;
	/** Monthly conversation quota per project (default 10 000). */
	monthlyRequests?: number;
	/** Seed for the fault RNG, so fault runs are repeatable (default 1). */
	seed?: number;
	/** Load the state from this JSON file (created if missing) and save it there on every change and on close. */
	stateFile?: string;
	/** Delay between a change and its save (default 100 ms). */
	saveDebounceMs?: number;
	/** Where problems that cannot be thrown (a failed background save) are reported. */
	onError?: (error: Error) => void;
}

export interface SandboxCredentials {
	email: string;
	password: string;
	agentEmail: string;
	agentPassword: string;
	agentId: string;
	projectId: string;
}

export interface SandboxStats {
	/** TCP connections accepted so far (keep-alive clients reuse one). */
	connections: number;
	/** HTTP requests received so far. */
	requests: number;
}

export interface Sandbox {
	url: string;
	credentials: SandboxCredentials;
	/** The same `export …` lines the real server's bootstrap prints. */
	exportsText: string;
	control: {
		/** Replaces the faults (validated; throws on bad options). */
		setFaults(f: FaultOptions): void;
		faults(): FaultOptions;
		state(): unknown;
		stats(): SandboxStats;
		/** Writes the state file now (no-op without one). */
		save(): Promise<void>;
	};
	/** Stops listening, drops open connections (hung ones included) and writes the state file. */
	close(): Promise<void>;
}

function faultError(error: unknown): Error {
	const issue = (error as {issues?: {path: PropertyKey[]; message: string}[]}).issues?.[0];
	return new Error(issue ? `invalid sandbox fault option ${issue.path.join('.') || '(options)'}: ${issue.message}` : (error as Error).message);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	let faults: Faults;
	try {
		faults = new Faults(options.faults ?? {}, options.seed ?? 1);
	} catch (error) {
		throw faultError(error);
	}
	let state: SandboxState;
	let writer: StateWriter | undefined;
	if (options.stateFile) {
		const loaded = await loadStateFile(options.stateFile);
		state = loaded ? SandboxState.fromPersisted(loaded) : SandboxState.seed();
		if (!loaded) await writeStateFile(options.stateFile, state.toPersisted());
		writer = new StateWriter(options.stateFile, () => state.toPersisted(), options.saveDebounceMs ?? 100, options.onError);
	} else {
		state = SandboxState.seed();
	}
	const owner = state.users.find((u) => u._id === state.seeded.ownerId);
	const agent = state.users.find((u) => u._id === state.seeded.agentId);
	if (!owner || !agent || !state.projects.some((p) => p._id === state.seeded.projectId)) {
		throw new SandboxStateError(`the sandbox state file ${options.stateFile ?? ''} does not contain its seeded owner, agent and project; delete it or choose another --state FILE`);
	}
	const route = createRouter({state, signer: new TokenSigner(state.secret), quota: options.monthlyRequests ?? 10_000, faults});
	const sockets = new Set<Socket>();
	const stats: SandboxStats = {connections: 0, requests: 0};

	async function readBody(req: IncomingMessage): Promise<{raw: string; tooLarge: boolean}> {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of req) {
			size += (chunk as Buffer).length;
			if (size <= BODY_LIMIT_BYTES) chunks.push(chunk as Buffer);
		}
		return {raw: Buffer.concat(chunks).toString('utf8'), tooLarge: size > BODY_LIMIT_BYTES};
	}

	function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, {'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...headers});
		res.end(text);
	}

	function control(method: string, path: string, raw: string, res: ServerResponse): void {
		if (method === 'GET' && path === '/__sandbox/state') return send(res, 200, state.snapshot());
		if (method === 'GET' && path === '/__sandbox/faults') return send(res, 200, faults.get());
		if (method === 'POST' && path === '/__sandbox/faults') {
			let body: unknown;
			try {
				body = raw === '' ? {} : JSON.parse(raw);
			} catch {
				return send(res, 400, {success: false, error: 'the faults body is not JSON'});
			}
			const parsed = FaultOptionsSchema.safeParse(body);
			if (!parsed.success) return send(res, 400, {success: false, error: faultError(parsed.error).message});
			return send(res, 200, {success: true, faults: faults.set(parsed.data)});
		}
		send(res, 404, 'Not Found');
	}

	const server = createServer(async (req, res) => {
		stats.requests++;
		const method = req.method ?? 'GET';
		try {
			const url = new URL(req.url ?? '/', 'http://sandbox');
			const path = url.pathname.replace(/\/+$/, '') || '/';
			const {raw, tooLarge} = await readBody(req);
			if (path.startsWith('/__sandbox/')) return control(method, path, raw, res);
			if (tooLarge) return send(res, 413, {err: 'Request entity too large', limit: BODY_LIMIT_BYTES});
			const faultsActive = faults.applies(method, path);
			if (faultsActive) {
				if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
				const fault = faults.before();
				if (fault?.kind === 'hang') return;
				if (fault?.kind === 'reset') return req.socket.destroy();
				if (fault?.kind === 'respond') return send(res, fault.status, fault.body, fault.headers);
			}
			let body: unknown;
			if (raw !== '') {
				try {
					body = JSON.parse(raw);
				} catch {
					return send(res, 500, {err: 'error'});
				}
				if (typeof body === 'string') return send(res, 500, {err: 'error'});
			}
			let result: unknown;
			try {
				result = route({method, path, authorization: req.headers.authorization, body, faultsActive});
			} finally {
				if (method !== 'GET') writer?.changed();
			}
			if (result === HANG) return;
			if (faultsActive) {
				const after = faults.after();
				if (after?.kind === 'hang') return;
				if (after?.kind === 'reset') return req.socket.destroy();
			}
			send(res, 200, result);
		} catch (error) {
			if (error instanceof HttpError) return send(res, error.status, error.body, error.headers);
			send(res, 500, {err: 'error'});
		}
	});
	server.on('connection', (socket) => {
		stats.connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve());
	});
	const address = server.address() as AddressInfo;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
	const credentials: SandboxCredentials = {
		email: owner.email,
		password: owner.password,
		agentEmail: agent.email,
		agentPassword: agent.password,
		agentId: agent._id,
		projectId: state.seeded.projectId,
	};
	const exportsText = [
		`export TILEDESK_URL=${url}`,
		`export TILEDESK_EMAIL=${credentials.email}`,
		`export TILEDESK_PASSWORD=${credentials.password}`,
		`export TILEDESK_AGENT_EMAIL=${credentials.agentEmail}`,
		`export TILEDESK_AGENT_PASSWORD=${credentials.agentPassword}`,
		`export TILEDESK_AGENT_ID=${credentials.agentId}`,
		`export TILEDESK_PROJECT_ID=${credentials.projectId}`,
	].join('\n');
	let closing: Promise<void> | undefined;
	return {
		url,
		credentials,
		exportsText,
		control: {
			setFaults: (f) => {
				try {
					faults.set(f);
				} catch (error) {
					throw faultError(error);
				}
			},
			faults: () => faults.get(),
			state: () => state.snapshot(),
			stats: () => ({...stats}),
			save: async () => writer?.flush(),
		},
		close: () =>
			(closing ??= (async () => {
				await new Promise<void>((resolve) => {
					server.close(() => resolve());
					for (const s of sockets) s.destroy();
				});
				await writer?.flush();
			})()),
	};
}
