/**
 * The sandbox's Tiledesk endpoints, with the real server's status codes, bodies and quirks as read in
 * ../shared/docs/tiledesk-api.md and checked by test/contract/: the project setter before authentication (400s),
 * passport's plain-text 401/400, role checks (403), `first_text` creating no message, `senderFullname` defaulting to
 * the caller, multi returning the saved array in input order and never answering a non-array body, 404 on multi for
 * an unknown request, [] for its messages, a duplicate `request_id` / the monthly quota / an unknown department all
 * answered 500 "Unable to create request", no paging. Bodies are parsed and answers checked with the shared wire
 * contract (../tiledesk/contract.ts), so the sandbox cannot drift from what the client expects.
 */
import {randomUUID} from 'node:crypto';
import type {z} from 'zod';
import {
	AnonymousBody,
	AnonymousResponse,
	CreateRequestBody,
	MessagesResponse,
	MultiBody,
	OBJECT_ID,
	PLAIN_BAD_REQUEST,
	PLAIN_UNAUTHORIZED,
	ProjectResponse,
	ProjectUsersMeResponse,
	QuotesAvailableResponse,
	QuotesResponse,
	RequestResponse,
	SigninBody,
	SigninResponse,
	SignupBody,
	SignupResponse,
} from '../tiledesk/contract.js';
import type {TokenSigner} from './auth.js';
import {MULTI_FAILED_BODY, type Faults} from './faults.js';
import {objectId, type ProjectUser, type SandboxState, type StoredMessage, type StoredRequest} from './state.js';

export class HttpError {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers: Record<string, string> = {},
	) {}
}

/** Returned by a route that, like the real server, never answers. */
export const HANG = Symbol('hang');

export interface RouteContext {
	state: SandboxState;
	signer: TokenSigner;
	/** Monthly conversations per project. */
	quota: number;
	faults: Faults;
}

export interface Incoming {
	method: string;
	path: string;
	authorization: string | undefined;
	/** undefined for an empty body. */
	body: unknown;
	/** Whether the configured faults apply to this call. */
	faultsActive: boolean;
}

interface Caller {
	userId: string;
	fullName: string;
	email?: string;
	guest: boolean;
}

/** has-role.js: guest < user < teammate < agent < supervisor < admin < owner. */
const ROLE_RANK: Record<string, number> = {guest: 0, user: 1, teammate: 2, agent: 3, supervisor: 4, admin: 5, owner: 6};
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const UNABLE_TO_CREATE = {success: false, message: 'Unable to create request', err: {}};

/** The answer, checked against the wire contract: a sandbox bug surfaces as a 500, never as a silent drift. */
function reply<S extends z.ZodType>(schema: S, value: z.input<S>): unknown {
	const parsed = schema.safeParse(value);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new HttpError(500, {err: `sandbox contract violation: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim()});
	}
	return value;
}

/** express-validator's error item: `value` is left out when undefined, as JSON does. */
function invalid(param: string, value: unknown): Record<string, unknown> {
	return {...(value !== undefined ? {value} : {}), msg: 'Invalid value', param, location: 'body'};
}

/** mongoose 5's ObjectId.isValid: 24 hex characters, or ANY 12-character string. */
function looksLikeObjectId(value: string): boolean {
	return OBJECT_ID.test(value) || value.length === 12;
}

export function createRouter(ctx: RouteContext) {
	const {state, signer} = ctx;
	const now = () => new Date().toISOString();

	function publicUser(id: string): Record<string, unknown> | undefined {
		const user = state.users.find((u) => u._id === id);
		if (!user) return undefined;
		const {password: _password, ...rest} = user;
		return {status: 100, ...rest, emailverified: false};
	}

	function authenticate(authorization: string | undefined): Caller {
		const unauthorized = new HttpError(401, PLAIN_UNAUTHORIZED, {'www-authenticate': 'Basic realm="Users"'});
		if (!authorization) throw unauthorized;
		const parts = authorization.split(' ');
		if (parts.length !== 2) throw new HttpError(400, PLAIN_BAD_REQUEST);
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
			if (payload['sub'] === 'guest') {
				return {userId: String(payload['_id']), fullName: String(payload['fullName'] ?? ''), guest: true, ...(payload['email'] ? {email: String(payload['email'])} : {})};
			}
			const user = state.users.find((u) => u._id === payload['_id']);
			if (!user) throw unauthorized;
			return {userId: user._id, fullName: `${user.firstname} ${user.lastname}`, email: user.email, guest: false};
		}
		throw unauthorized;
	}

	function requireRole(pid: string, caller: Caller, role: string): ProjectUser {
		const pu = state.member(pid, caller.userId);
		if (!pu) throw new HttpError(403, {success: false, msg: 'you dont belong to the project.'});
		if ((ROLE_RANK[pu.role] ?? 0) < (ROLE_RANK[role] ?? 0)) throw new HttpError(403, {success: false, msg: 'you dont have the required role.'});
		return pu;
	}

	/** Runs before authentication on every /:projectid route. */
	function projectSetter(pid: string): void {
		if (!OBJECT_ID.test(pid)) throw new HttpError(400, {error: `Invalid project id: ${pid}`});
		if (!state.projects.some((p) => p._id === pid && p.status === 100)) throw new HttpError(400, {error: `Project not found with id: ${pid}`});
	}

	/** On create and delete `lead`/`requester`/`department` are ids; on GET and close they are populated. */
	function present(request: StoredRequest, populated: boolean): z.input<typeof RequestResponse> {
		const base = {...request, id: request._id, requester_id: request.lead._id};
		if (!populated) return {...base, lead: request.lead._id};
		const requester = state.projectUser(request.requester);
		const department = state.departments.find((d) => d._id === request.department);
		return {
			...base,
			lead: {...request.lead, id_project: request.id_project, status: 100},
			requester: requester ? {...requester, ...(requester.id_user ? {id_user: publicUser(requester.id_user) ?? requester.id_user} : {})} : request.requester,
			...(department ? {department} : {}),
		};
	}

	function signin(body: unknown): unknown {
		const b = (body ?? {}) as Record<string, unknown>;
		const errors = [];
		if (typeof b['email'] !== 'string' || !EMAIL.test(b['email'])) errors.push(invalid('email', b['email']));
		if (typeof b['password'] !== 'string' || b['password'] === '') errors.push(invalid('password', b['password']));
		if (errors.length) throw new HttpError(422, {errors});
		const {email, password} = SigninBody.parse(b);
		const user = state.users.find((u) => u.email === email.toLowerCase());
		if (!user) throw new HttpError(401, {success: false, msg: 'Authentication failed. User not found.'});
		if (user.password !== password) throw new HttpError(401, {success: false, msg: 'Authentication failed. Wrong password.'});
		const fullName = `${user.firstname} ${user.lastname}`;
		const token = signer.sign({_id: user._id, email: user.email, firstname: user.firstname, lastname: user.lastname, fullName, sub: 'user', iss: 'https://tiledesk.com', aud: 'https://tiledesk.com', jti: randomUUID()});
		return reply(SigninResponse, {success: true, token, user: {_id: user._id, email: user.email, firstname: user.firstname, lastname: user.lastname, emailverified: false}});
	}

	function signup(body: unknown): unknown {
		const b = (body ?? {}) as Record<string, unknown>;
		const errors = [];
		if (typeof b['email'] !== 'string' || !EMAIL.test(b['email'])) errors.push(invalid('email', b['email']));
		for (const field of ['firstname', 'lastname']) if (typeof b[field] !== 'string' || b[field] === '') errors.push(invalid(field, b[field]));
		if (errors.length) throw new HttpError(422, {errors});
		const parsed = SignupBody.safeParse(b);
		if (!parsed.success || !parsed.data.password) return {success: false, msg: 'Please pass email and password.'};
		const {email, password, firstname, lastname} = parsed.data;
		// MongoDB's unique index on email (CongoDB does not enforce it).
		if (state.users.some((u) => u.email === email.toLowerCase())) throw new HttpError(403, {success: false, message: 'Email already registered'});
		const user = state.addUser(email, password, firstname, lastname);
		const at = now();
		return reply(SignupResponse, {success: true, msg: 'Successfully created new user.', user: {...publicUser(user._id), email: user.email, _id: user._id, createdAt: at, updatedAt: at, __v: 0}});
	}

	function signinAnonymously(body: unknown): unknown {
		const b = (body ?? {}) as Record<string, unknown>;
		if (b['id_project'] === undefined || b['id_project'] === '' || b['id_project'] === null) throw new HttpError(422, {errors: [invalid('id_project', b['id_project'])]});
		const parsed = AnonymousBody.safeParse(b);
		// The project is not checked for existence; a non-ObjectId fails when the guest project_user is saved.
		if (!parsed.success || !OBJECT_ID.test(parsed.data.id_project)) throw new HttpError(500, {success: false, msg: 'Error saving object.'});
		const {id_project, lastname, email, attributes} = parsed.data;
		const uuid = randomUUID();
		const firstname = parsed.data.firstname ?? `guest#${uuid.slice(0, 4)}`;
		const fullName = `${firstname} ${lastname ?? ''}`;
		state.addGuest(id_project, uuid, fullName, email);
		const user = {_id: uuid, firstname, ...(lastname !== undefined ? {lastname} : {}), ...(email !== undefined ? {email} : {}), ...(attributes ? {attributes} : {}), id: uuid, fullName};
		const token = signer.sign({...user, sub: 'guest', iss: 'https://tiledesk.com', aud: 'https://tiledesk.com', jti: randomUUID()});
		return reply(AnonymousResponse, {success: true, token, user});
	}

	function createRequest(pid: string, caller: Caller, body: unknown): unknown {
		const pu = requireRole(pid, caller, 'agent');
		const b = (body ?? {}) as Record<string, unknown>;
		if (b['first_text'] === undefined || b['first_text'] === '' || b['first_text'] === null) throw new HttpError(422, {errors: [invalid('first_text', b['first_text'])]});
		const parsed = CreateRequestBody.safeParse(b);
		if (!parsed.success) throw new HttpError(500, UNABLE_TO_CREATE);
		const input = parsed.data;
		let leadName = input.senderFullname ?? caller.fullName;
		let leadEmail = input.email ?? caller.email;
		if (input.sender !== undefined) {
			const byUserId = looksLikeObjectId(input.sender);
			const member = state.memberBy(pid, input.sender, byUserId);
			const senderPu = member?.status === 'active' ? member : undefined;
			if (!senderPu) throw new HttpError(403, {success: false, msg: `Unauthorized. Project_user not found with user id  : ${input.sender}`});
			if (senderPu.id_user) {
				const user = state.users.find((u) => u._id === senderPu.id_user);
				if (user) {
					leadName = `${user.firstname} ${user.lastname}`;
					leadEmail = user.email;
				}
			}
		}
		const departments = state.departments.filter((d) => d.id_project === pid);
		const department = input.departmentid === undefined || input.departmentid === 'default' ? departments.find((d) => d.default) : departments.find((d) => d._id === input.departmentid);
		const requestId = input.request_id ?? `support-group-${pid}-${randomUUID().replace(/-/g, '')}`;
		const used = state.requestsCreated[pid] ?? 0;
		// An unknown department, MongoDB's global unique index on request_id and the monthly quota all end in this 500.
		if (!department || state.requests.has(requestId) || used >= ctx.quota) throw new HttpError(500, UNABLE_TO_CREATE);
		const leadId = input.sender ?? caller.userId;
		const existingLead = state.leadOf(pid, leadId);
		const lead = existingLead
			? {...existingLead, ...(input.email && input.email !== existingLead.email ? {email: input.email} : {})}
			: {_id: objectId(), lead_id: leadId, fullname: leadName, ...(leadEmail ? {email: leadEmail} : {}), ...(input.attributes ? {attributes: input.attributes} : {})};
		const participants = input.participants ?? autoRoute(pid);
		const at = now();
		const request: StoredRequest = {
			status: participants.length > 0 ? 200 : 100,
			preflight: false,
			hasBot: false,
			participants,
			participantsAgents: participants.filter((p) => !p.startsWith('bot_')),
			participantsBots: participants.filter((p) => p.startsWith('bot_')).map((p) => p.slice(4)),
			priority: input.priority ?? 'medium',
			followers: input.followers ?? [],
			_id: objectId(),
			request_id: requestId,
			requester: pu._id,
			lead,
			first_text: input.first_text,
			department: department._id,
			...Object.fromEntries((['subject', 'sourcePage', 'language', 'userAgent', 'attributes', 'location'] as const).filter((k) => input[k] !== undefined).map((k) => [k, input[k]])),
			id_project: pid,
			createdBy: caller.userId,
			channel: input.channel ?? {name: 'chat21'},
			tags: [],
			notes: [],
			ticket_id: state.requestsIn(pid) + 1,
			createdAt: at,
			updatedAt: at,
			__v: 0,
		};
		state.addRequest(request);
		state.requestsCreated[pid] = used + 1;
		return reply(RequestResponse, present(request, false));
	}

	/** Without participants the default department routes to the agent-type member with the fewest open requests. */
	function autoRoute(pid: string): string[] {
		const agents = state.userMembers(pid).filter((p) => (ROLE_RANK[p.role] ?? 0) >= ROLE_RANK['agent']!);
		const load = (userId: string) => state.openRequestsOf(pid, userId);
		const chosen = agents.map((a) => a.id_user!).sort((x, y) => load(x) - load(y))[0];
		return chosen ? [chosen] : [];
	}

	function postMulti(pid: string, rid: string, caller: Caller, body: unknown, faultsActive: boolean): unknown {
		const request = state.requests.get(rid);
		if (!request || request.id_project !== pid) throw new HttpError(404, {success: false, msg: "Request doesn't exist.", err: null});
		const parsed = MultiBody.safeParse(body);
		// The real server throws inside an async callback (`req.body.forEach is not a function`, or a cast error on an
		// item such as an object `text`) and never answers: the connection stays open until the client gives up.
		if (!parsed.success) return HANG;
		const items = parsed.data;
		const k = faultsActive ? ctx.faults.partialMulti(items.length) : undefined;
		const at = now();
		const saved = items.slice(0, k ?? items.length).map((item): StoredMessage => {
			const sender = item.sender ?? caller.userId;
			return {
				senderFullname: item.senderFullname ?? caller.fullName,
				type: item.type ?? 'text',
				channel_type: 'group',
				status: item.status ?? 0,
				_id: objectId(),
				sender,
				recipient: rid,
				...Object.fromEntries((['text', 'attributes', 'metadata', 'language'] as const).filter((key) => item[key] !== undefined).map((key) => [key, item[key]])),
				id_project: pid,
				createdBy: sender,
				channel: item.channel ?? {name: 'chat21'},
				createdAt: at,
				updatedAt: at,
				__v: 0,
			};
		});
		state.messages.set(rid, [...(state.messages.get(rid) ?? []), ...saved]);
		// No transaction: the items saved before the failing one stay saved.
		if (k !== undefined) throw new HttpError(500, MULTI_FAILED_BODY);
		return reply(MessagesResponse, saved);
	}

	function closeRequest(pid: string, rid: string, caller: Caller): unknown {
		const pu = requireRole(pid, caller, 'agent');
		const request = state.requests.get(rid);
		const found = request && request.id_project === pid ? request : undefined;
		if (pu.role !== 'owner' && pu.role !== 'admin') {
			if (!found) throw new HttpError(404, {success: false, error: 'Request not found'});
			if (!found.participants.includes(caller.userId)) throw new HttpError(403, {success: false, error: 'You must be among the participants to close a conversation.'});
		}
		if (!found) throw new HttpError(500, {success: false, error: 'Error closing request'});
		const at = now();
		state.closeRequest(found, {closed_at: at, closed_by: caller.userId, updatedAt: at});
		return reply(RequestResponse, present(found, true));
	}

	function deleteRequest(pid: string, rid: string, caller: Caller): unknown {
		const pu = requireRole(pid, caller, 'agent');
		if (pu.role !== 'owner') throw new HttpError(403, {success: false, msg: 'Unauthorized.'});
		// Like the server, by request_id alone (not scoped to the project).
		state.messages.delete(rid);
		const request = state.deleteRequest(rid);
		if (!request) throw new HttpError(404, {success: false, msg: 'Object not found.'});
		return reply(RequestResponse, present(request, false));
	}

	/** One API call; throws HttpError for error answers, returns HANG when the real server would not answer. */
	return function route({method, path, authorization, body, faultsActive}: Incoming): unknown {
		let m: RegExpExecArray | null;
		if (method === 'POST' && path === '/auth/signin') return signin(body);
		if (method === 'POST' && path === '/auth/signup') return signup(body);
		if (method === 'POST' && path === '/auth/signinAnonymously') return signinAnonymously(body);
		if ((m = /^\/projects\/([^/]+)$/.exec(path)) && method === 'GET') {
			const caller = authenticate(authorization);
			const id = decodeURIComponent(m[1]!);
			if (!OBJECT_ID.test(id)) throw new HttpError(500, {err: 'error'});
			requireRole(id, caller, 'agent');
			const project = state.projects.find((p) => p._id === id && p.status === 100);
			if (!project) throw new HttpError(404, {success: false, msg: 'Object not found.'});
			return reply(ProjectResponse, {...project, isActiveSubscription: false, trialExpired: false, id: project._id});
		}
		if (!(m = /^\/([^/]+)(\/.*)$/.exec(path)) || m[1] === 'auth' || m[1] === 'projects') throw new HttpError(404, 'Not Found');
		const pid = decodeURIComponent(m[1]!);
		const rest = m[2]!;
		projectSetter(pid);
		const caller = authenticate(authorization);
		if (method === 'GET' && rest === '/project_users/me') {
			const pu = requireRole(pid, caller, 'agent');
			return reply(ProjectUsersMeResponse, [{...pu, isBusy: false}]);
		}
		if (method === 'POST' && rest === '/quotes') {
			requireRole(pid, caller, 'agent');
			const messages = [...state.messages.values()].flat().filter((msg) => msg.id_project === pid).length;
			const start = new Date();
			start.setUTCHours(0, 0, 0, 0);
			const end = new Date(start.getTime() + 30 * 86_400_000 - 1);
			return reply(QuotesResponse, {success: true, quotes: {requests: {quote: state.requestsCreated[pid] ?? 0}, messages: {quote: messages}}, slot: {startDate: start.toISOString(), endDate: end.toISOString()}});
		}
		if (method === 'GET' && rest === '/quotes/requests') {
			requireRole(pid, caller, 'agent');
			return reply(QuotesAvailableResponse, {isAvailable: (state.requestsCreated[pid] ?? 0) < ctx.quota});
		}
		if (method === 'POST' && rest === '/requests') return createRequest(pid, caller, body);
		if ((m = /^\/requests\/([^/]+)$/.exec(rest))) {
			const rid = decodeURIComponent(m[1]!);
			if (method === 'GET') {
				requireRole(pid, caller, 'agent');
				const request = state.requests.get(rid);
				if (!request || request.id_project !== pid) throw new HttpError(404, {success: false, msg: 'Object not found.'});
				return reply(RequestResponse, present(request, true));
			}
			if (method === 'DELETE') return deleteRequest(pid, rid, caller);
		}
		if ((m = /^\/requests\/([^/]+)\/close$/.exec(rest)) && method === 'PUT') return closeRequest(pid, decodeURIComponent(m[1]!), caller);
		if ((m = /^\/requests\/([^/]+)\/messages(\/multi)?$/.exec(rest))) {
			// Any active member of the project, guests included.
			requireRole(pid, caller, 'guest');
			const rid = decodeURIComponent(m[1]!);
			// Sorted by createdAt only, no paging: limit/page/sort are ignored.
			if (method === 'GET' && !m[2]) return reply(MessagesResponse, (state.messages.get(rid) ?? []).filter((msg) => msg.id_project === pid));
			if (method === 'POST' && m[2]) return postMulti(pid, rid, caller, body, faultsActive);
		}
		throw new HttpError(404, 'Not Found');
	};
}
