/**
 * A local Tiledesk-compatible server for rehearsals and tests (plain node:http: a dozen routes need no framework).
 * It reproduces the real server's status codes, bodies and quirks for the endpoints the importer uses, as read in
 * ../shared/docs/tiledesk-api.md: projectSetter before auth (400s), plain-text 401/400 from passport, role checks
 * (403), first_text creating no message, senderFullname defaulting to the caller, multi returning the saved array
 * in input order and hanging on a non-array body, 404 on multi for an unknown request, [] for its messages,
 * duplicate request_id and quota answered 500 "Unable to create request", 413 above 500 KB, no paging.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {TokenSigner} from './auth.js';
import {objectId, SandboxState, type ProjectUser, type StoredMessage, type StoredRequest} from './state.js';

export interface FaultOptions {
	/** Added to every API response. */
	latencyMs?: number;
	/** Share of API calls answered 500 before doing anything. */
	errorRate?: number;
	/** Share of API calls answered 429 with Retry-After. */
	rateLimitRate?: number;
	retryAfterSeconds?: number;
	/** Share of API calls that never get an answer. */
	hangRate?: number;
	/** Share of API calls whose connection is reset. */
	resetRate?: number;
	/** Only paths matching this regular expression are affected. */
	onlyPaths?: string;
}

export interface SandboxOptions {
	port?: number;
	host?: string;
	faults?: FaultOptions;
	/** Monthly conversation quota (default 10 000). */
	monthlyRequests?: number;
	/** Seed for the fault RNG, so fault tests are repeatable. */
	seed?: number;
}

export interface SandboxCredentials {
	email: string;
	password: string;
	agentEmail: string;
	agentPassword: string;
	agentId: string;
	projectId: string;
}

export interface Sandbox {
	url: string;
	credentials: SandboxCredentials;
	/** The same `export …` lines the real server's bootstrap prints. */
	exportsText: string;
	control: {setFaults(f: FaultOptions): void; state(): unknown};
	close(): Promise<void>;
}

const BODY_LIMIT = 512_000;
const OBJECT_ID = /^[0-9a-f]{24}$/i;
const ROLE_RANK: Record<string, number> = {guest: 0, agent: 3, admin: 5, owner: 6};

class HttpError {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers: Record<string, string> = {},
	) {}
}
const hang = Symbol('hang');

interface Caller {
	userId: string;
	fullName: string;
	email?: string;
	guest: boolean;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const state = new SandboxState();
	const signer = new TokenSigner();
	let faults: FaultOptions = options.faults ?? {};
	let seed = options.seed ?? 1;
	const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
	const quota = options.monthlyRequests ?? 10_000;

	const password = `sandbox-${objectId().slice(0, 8)}`;
	const owner = state.addUser('owner@sandbox.local', password, 'Olga', 'Owner');
	const agent = state.addUser('agent@sandbox.local', password, 'Andy', 'Agent');
	const projectId = objectId();
	state.projects.push({_id: projectId, name: 'Sandbox project', profile: {name: 'Sandbox', type: 'free'}});
	state.addMember(projectId, owner, 'owner');
	state.addMember(projectId, agent, 'agent');

	const sockets = new Set<Socket>();

	function authenticate(req: IncomingMessage): Caller {
		const header = req.headers.authorization;
		const unauthorized = new HttpError(401, 'Unauthorized', {'www-authenticate': 'Basic realm="Users"'});
		if (!header) throw unauthorized;
		const parts = header.split(' ');
		if (parts.length !== 2) throw new HttpError(400, 'Bad Request');
		const [scheme, value] = parts as [string, string];
		if (scheme.toLowerCase() === 'basic') {
			const [email, pass] = Buffer.from(value, 'base64').toString('utf8').split(/:(.*)/s);
			const user = state.users.find((u) => u.email === (email ?? '').toLowerCase());
			if (!user || user.password !== pass) throw unauthorized;
			return {userId: user._id, fullName: `${user.firstname} ${user.lastname}`, email: user.email, guest: false};
		}
		if (scheme.toLowerCase() === 'jwt') {
			const payload = signer.verify(value);
			if (!payload) throw unauthorized;
			return {userId: String(payload['_id']), fullName: String(payload['fullName'] ?? ''), guest: payload['sub'] === 'guest', ...(payload['email'] ? {email: String(payload['email'])} : {})};
		}
		throw unauthorized;
	}

	function requireRole(pid: string, caller: Caller, role: keyof typeof ROLE_RANK): ProjectUser {
		const pu = state.member(pid, caller.userId);
		if (!pu) throw new HttpError(403, {success: false, msg: 'you dont belong to the project.'});
		if ((ROLE_RANK[pu.role] ?? 0) < (ROLE_RANK[role] ?? 0)) throw new HttpError(403, {success: false, msg: 'you dont have the required role.'});
		return pu;
	}

	function projectSetter(pid: string): void {
		if (!OBJECT_ID.test(pid)) throw new HttpError(400, {error: `Invalid project id: ${pid}`});
		if (!state.projects.some((p) => p._id === pid)) throw new HttpError(400, {error: `Project not found with id: ${pid}`});
	}

	async function route(method: string, path: string, req: IncomingMessage, body: unknown): Promise<unknown> {
		let m: RegExpExecArray | null;
		if (method === 'GET' && path === '/__sandbox/state') return state.snapshot();
		if (method === 'POST' && path === '/__sandbox/faults') {
			faults = (body ?? {}) as FaultOptions;
			return {success: true, faults};
		}
		if (method === 'POST' && path === '/auth/signin') {
			const {email, password: pass} = (body ?? {}) as {email?: string; password?: string};
			const errors = [];
			if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) errors.push({value: email, msg: 'Invalid value', param: 'email', location: 'body'});
			if (typeof pass !== 'string' || pass === '') errors.push({value: pass, msg: 'Invalid value', param: 'password', location: 'body'});
			if (errors.length) throw new HttpError(422, {errors});
			const user = state.users.find((u) => u.email === email!.toLowerCase());
			if (!user) throw new HttpError(401, {success: false, msg: 'Authentication failed. User not found.'});
			if (user.password !== pass) throw new HttpError(401, {success: false, msg: 'Authentication failed. Wrong password.'});
			const {password: _p, ...publicUser} = user;
			const token = signer.sign({...publicUser, fullName: `${user.firstname} ${user.lastname}`, sub: 'user', iss: 'https://tiledesk.com', jti: objectId()});
			return {success: true, token, user: {...publicUser, emailverified: false}};
		}
		if (method === 'POST' && path === '/auth/signinAnonymously') {
			const b = (body ?? {}) as {id_project?: string; firstname?: string; lastname?: string; email?: string; attributes?: unknown};
			if (!b.id_project) throw new HttpError(422, {errors: [{msg: 'Invalid value', param: 'id_project', location: 'body'}]});
			if (!OBJECT_ID.test(b.id_project)) throw new HttpError(500, {success: false, msg: 'Error saving object.'});
			const firstname = b.firstname ?? `guest#${objectId().slice(0, 4)}`;
			const fullName = [firstname, b.lastname].filter(Boolean).join(' ');
			const pu = state.addGuest(b.id_project, fullName, b.email);
			const user = {_id: pu.uuid_user!, firstname, lastname: b.lastname, email: b.email, attributes: b.attributes, id: pu.uuid_user!, fullName};
			return {success: true, token: signer.sign({_id: pu.uuid_user, fullName, sub: 'guest', email: b.email}), user};
		}
		if ((m = /^\/projects\/([^/]+)$/.exec(path)) && method === 'GET') {
			const caller = authenticate(req);
			if (!OBJECT_ID.test(m[1]!)) throw new HttpError(500, {err: 'error'});
			requireRole(m[1]!, caller, 'agent');
			return state.projects.find((p) => p._id === m![1]);
		}
		if (!(m = /^\/([^/]+)(\/.*)$/.exec(path))) throw new HttpError(404, 'Not Found');
		const pid = m[1]!;
		const rest = m[2]!;
		projectSetter(pid);
		const caller = authenticate(req);
		if (method === 'GET' && rest === '/project_users/me') {
			const pu = requireRole(pid, caller, 'agent');
			return [{...pu, isBusy: false}];
		}
		if (method === 'POST' && rest === '/quotes') {
			requireRole(pid, caller, 'agent');
			return {success: true, quotes: {requests: {quote: state.requestsCreated}}};
		}
		if (method === 'POST' && rest === '/requests') {
			requireRole(pid, caller, 'agent');
			const b = (body ?? {}) as Record<string, unknown>;
			if (typeof b['first_text'] !== 'string' || b['first_text'].trim() === '') {
				throw new HttpError(422, {errors: [{value: b['first_text'], msg: 'Invalid value', param: 'first_text', location: 'body'}]});
			}
			const sender = typeof b['sender'] === 'string' ? b['sender'] : undefined;
			let leadName = typeof b['senderFullname'] === 'string' ? b['senderFullname'] : caller.fullName;
			let leadEmail = typeof b['email'] === 'string' ? b['email'] : caller.email;
			if (sender) {
				const pu = state.member(pid, sender);
				if (!pu) throw new HttpError(403, {success: false, msg: `Unauthorized. Project_user not found with user id  : ${sender}`});
				if (pu.id_user) {
					leadName = pu.fullName;
					leadEmail = pu.email;
				}
			}
			const requestId = typeof b['request_id'] === 'string' ? b['request_id'] : `support-group-${pid}-${objectId()}`;
			if (state.requests.has(requestId) || state.requestsCreated >= quota) {
				// MongoDB's unique index and the monthly quota both surface as this 500.
				throw new HttpError(500, {success: false, message: 'Unable to create request', err: {}});
			}
			const participants = Array.isArray(b['participants']) ? (b['participants'] as string[]) : [];
			const request: StoredRequest = {
				_id: objectId(),
				request_id: requestId,
				id_project: pid,
				status: participants.length > 0 ? 200 : 100,
				participants,
				first_text: b['first_text'],
				lead: {lead_id: sender ?? caller.userId, fullname: leadName, ...(leadEmail ? {email: leadEmail} : {})},
				requester: caller.userId,
				createdAt: new Date().toISOString(),
				...Object.fromEntries(['subject', 'departmentid', 'language', 'channel', 'attributes'].filter((k) => b[k] !== undefined).map((k) => [k, b[k]])),
			};
			state.requests.set(requestId, request);
			state.requestsCreated++;
			return request;
		}
		if ((m = /^\/requests\/([^/]+)$/.exec(rest))) {
			const rid = decodeURIComponent(m[1]!);
			const request = state.requests.get(rid);
			if (method === 'GET') {
				requireRole(pid, caller, 'agent');
				if (!request || request.id_project !== pid) throw new HttpError(404, {success: false, msg: 'Object not found.'});
				return request;
			}
			if (method === 'DELETE') {
				const pu = requireRole(pid, caller, 'agent');
				if (pu.role !== 'owner') throw new HttpError(403, {success: false, msg: 'Unauthorized.'});
				if (!request) throw new HttpError(404, {success: false, msg: 'Object not found.'});
				state.requests.delete(rid);
				state.messages.delete(rid);
				return {success: true};
			}
		}
		if ((m = /^\/requests\/([^/]+)\/close$/.exec(rest)) && method === 'PUT') {
			requireRole(pid, caller, 'agent');
			const request = state.requests.get(decodeURIComponent(m[1]!));
			if (!request) throw new HttpError(404, {success: false, error: 'Request not found'});
			request.status = 1000;
			return request;
		}
		if ((m = /^\/requests\/([^/]+)\/messages(\/multi)?$/.exec(rest))) {
			requireRole(pid, caller, 'guest');
			const rid = decodeURIComponent(m[1]!);
			if (method === 'GET' && !m[2]) return state.messages.get(rid) ?? [];
			if (method === 'POST' && m[2]) {
				if (!Array.isArray(body)) return hang; // the real server throws asynchronously and never answers
				const request = state.requests.get(rid);
				if (!request) throw new HttpError(404, {success: false, msg: "Request doesn't exist.", err: null});
				const now = new Date().toISOString();
				const saved = (body as Record<string, unknown>[]).map((item): StoredMessage => {
					const sender = typeof item['sender'] === 'string' ? item['sender'] : caller.userId;
					return {
						senderFullname: typeof item['senderFullname'] === 'string' ? item['senderFullname'] : caller.fullName,
						type: typeof item['type'] === 'string' ? item['type'] : 'text',
						channel_type: 'group',
						status: typeof item['status'] === 'number' ? item['status'] : 0,
						_id: objectId(),
						sender,
						recipient: rid,
						...Object.fromEntries(['text', 'attributes', 'metadata', 'language', 'channel'].filter((k) => item[k] !== undefined).map((k) => [k, item[k]])),
						id_project: pid,
						createdBy: sender,
						createdAt: now,
						updatedAt: now,
					};
				});
				state.messages.set(rid, [...(state.messages.get(rid) ?? []), ...saved]);
				return saved;
			}
		}
		throw new HttpError(404, 'Not Found');
	}

	async function readBody(req: IncomingMessage): Promise<{raw: string; tooLarge: boolean}> {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of req) {
			size += (chunk as Buffer).length;
			if (size <= BODY_LIMIT) chunks.push(chunk as Buffer);
		}
		return {raw: Buffer.concat(chunks).toString('utf8'), tooLarge: size > BODY_LIMIT};
	}

	function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, {'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...headers});
		res.end(text);
	}

	const server = createServer(async (req, res) => {
		try {
			const url = new URL(req.url ?? '/', 'http://sandbox');
			const path = url.pathname.replace(/\/+$/, '') || '/';
			const {raw, tooLarge} = await readBody(req);
			if (tooLarge) return send(res, 413, {err: 'Request entity too large', limit: BODY_LIMIT});
			const api = !path.startsWith('/__sandbox');
			if (api && (!faults.onlyPaths || new RegExp(faults.onlyPaths).test(path))) {
				if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
				if (faults.hangRate && random() < faults.hangRate) return;
				if (faults.resetRate && random() < faults.resetRate) return req.socket.destroy();
				if (faults.rateLimitRate && random() < faults.rateLimitRate) return send(res, 429, {success: false, msg: 'Too many requests'}, {'retry-after': String(faults.retryAfterSeconds ?? 1)});
				if (faults.errorRate && random() < faults.errorRate) return send(res, 500, {success: false, msg: 'Injected server error'});
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
			const result = await route(req.method ?? 'GET', path, req, body);
			if (result === hang) return;
			send(res, 200, result);
		} catch (error) {
			if (error instanceof HttpError) return send(res, error.status, error.body, error.headers);
			send(res, 500, {err: 'error'});
		}
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
	});
	const address = server.address() as AddressInfo;
	const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
	const credentials: SandboxCredentials = {email: owner.email, password, agentEmail: agent.email, agentPassword: password, agentId: agent._id, projectId};
	const exportsText = [
		`export TILEDESK_URL=${url}`,
		`export TILEDESK_EMAIL=${credentials.email}`,
		`export TILEDESK_PASSWORD=${credentials.password}`,
		`export TILEDESK_AGENT_EMAIL=${credentials.agentEmail}`,
		`export TILEDESK_AGENT_PASSWORD=${credentials.agentPassword}`,
		`export TILEDESK_AGENT_ID=${credentials.agentId}`,
		`export TILEDESK_PROJECT_ID=${credentials.projectId}`,
	].join('\n');
	return {
		url,
		credentials,
		exportsText,
		control: {
			setFaults: (f) => {
				faults = f;
			},
			state: () => state.snapshot(),
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
}
