/**
 * The Tiledesk REST client (undici): one Agent per client with keep-alive and explicit connect/headers/body
 * timeouts, an AbortSignal on every call, zod-validated responses, typed errors (./errors.ts), no retries
 * (the import engine owns retry policy, because only it knows whether a POST is safe to repeat).
 */
import {Agent, request, type Dispatcher} from 'undici';
import {z} from 'zod';
import type {
	AnonymousUser,
	ConnectionInfo,
	CreateRequestInput,
	MessageInput,
	QuotaInfo,
	TiledeskApi,
	TiledeskMessage,
	TiledeskRequest,
} from './api.js';
import {classifyFailure, classifyResponse, TiledeskError} from './errors.js';

export type Auth = {kind: 'jwt'; token: string} | {kind: 'basic'; email: string; password: string};

export interface Timeouts {
	connectMs: number;
	headersMs: number;
	bodyMs: number;
}

export interface ClientOptions {
	baseUrl: string;
	projectId: string;
	auth: Auth;
	dispatcher?: Dispatcher;
	timeouts?: Partial<Timeouts>;
}

const DEFAULT_TIMEOUTS: Timeouts = {connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000};
const PROJECT_ID = /^[0-9a-f]{24}$/i;

const Loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);
const SigninResponse = Loose({token: z.string(), user: Loose({_id: z.string(), email: z.string().optional(), firstname: z.string().optional(), lastname: z.string().optional()})});
const AnonymousResponse = Loose({token: z.string(), user: Loose({_id: z.string(), fullName: z.string().optional(), firstname: z.string().optional(), email: z.string().optional()})});
const ProjectResponse = Loose({_id: z.string(), name: z.string(), profile: Loose({name: z.string().optional()}).optional()});
const ProjectUsersMe = z.array(Loose({role: z.string().optional(), id_user: z.unknown().optional()}));
const RequestResponse = Loose({_id: z.string(), request_id: z.string(), status: z.number(), participants: z.array(z.string()).default([])});
const MessageResponse = Loose({_id: z.string(), sender: z.string(), recipient: z.string()});
const QuotesResponse = Loose({quotes: Loose({requests: Loose({quote: z.number().optional()}).optional()}).optional()});

/** Monthly conversation limits per plan (QuoteManager PLANS_LIST in the server). */
const PLAN_LIMITS: Record<string, number> = {sandbox: 200, basic: 800, starter: 800, premium: 3000, pro: 3000, team: 5000, business: 5000, custom: 5000, 'free trial': 3000};

export function normalizeBaseUrl(url: string): string {
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		throw new TiledeskError({kind: 'validation', retryable: false, message: `"${url}" is not a URL (expected e.g. https://api.tiledesk.com/v3)`});
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:') {
		throw new TiledeskError({kind: 'validation', retryable: false, message: `"${url}" must start with https:// (or http:// for a local server)`});
	}
	return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export function assertProjectId(projectId: string): void {
	if (!PROJECT_ID.test(projectId)) {
		throw new TiledeskError({
			kind: 'project-not-found',
			retryable: false,
			message: `"${projectId}" is not a Tiledesk project id (24 hexadecimal characters, as in the dashboard URL …/project/<id>/…)`,
		});
	}
}

export class TiledeskClient implements TiledeskApi {
	readonly baseUrl: string;
	readonly projectId: string;
	private readonly auth: Auth;
	private readonly dispatcher: Dispatcher;
	private readonly ownsDispatcher: boolean;
	private readonly timeouts: Timeouts;

	constructor(options: ClientOptions) {
		this.baseUrl = normalizeBaseUrl(options.baseUrl);
		this.projectId = options.projectId;
		this.auth = options.auth;
		this.timeouts = {...DEFAULT_TIMEOUTS, ...options.timeouts};
		this.ownsDispatcher = options.dispatcher === undefined;
		this.dispatcher = options.dispatcher ?? new Agent({keepAliveTimeout: 10_000, connect: {timeout: this.timeouts.connectMs}});
	}

	/** Signs in with e-mail and password once and returns a client that sends the JWT on every call. */
	static async signIn(options: Omit<ClientOptions, 'auth'> & {email: string; password: string; signal?: AbortSignal}): Promise<{client: TiledeskClient; token: string; user: {id: string; email?: string; fullName?: string}}> {
		const anonymous = new TiledeskClient({...options, auth: {kind: 'jwt', token: ''}});
		try {
			const body = await anonymous.call('POST', '/auth/signin', {email: options.email, password: options.password}, SigninResponse, options.signal, false);
			const fullName = [body.user.firstname, body.user.lastname].filter(Boolean).join(' ');
			const client = new TiledeskClient({...options, auth: {kind: 'jwt', token: body.token}, ...(options.dispatcher ? {dispatcher: options.dispatcher} : {})});
			return {client, token: body.token, user: {id: body.user._id, ...(body.user.email ? {email: body.user.email} : {}), ...(fullName ? {fullName} : {})}};
		} finally {
			if (!options.dispatcher) await anonymous.close();
		}
	}

	async testConnection(signal?: AbortSignal): Promise<ConnectionInfo> {
		assertProjectId(this.projectId);
		const project = await this.call('GET', `/projects/${this.projectId}`, undefined, ProjectResponse, signal);
		const me = await this.call('GET', `/${this.projectId}/project_users/me`, undefined, ProjectUsersMe, signal);
		const plan = project.profile?.name;
		const limit = plan ? PLAN_LIMITS[plan.toLowerCase()] : undefined;
		const first = me[0];
		const idUser = first?.id_user;
		const userId = typeof idUser === 'string' ? idUser : idUser && typeof idUser === 'object' && '_id' in idUser ? String((idUser as {_id: unknown})._id) : '';
		return {
			project: {id: project._id, name: project.name, ...(plan ? {plan} : {}), ...(limit ? {monthlyConversationLimit: limit} : {})},
			...(first?.role ? {role: first.role} : {}),
			user: {id: userId},
		};
	}

	async signInAnonymously(input: {firstname?: string; lastname?: string; email?: string; attributes?: Record<string, unknown>}, signal?: AbortSignal): Promise<AnonymousUser> {
		const body = await this.call('POST', '/auth/signinAnonymously', {id_project: this.projectId, ...input}, AnonymousResponse, signal, false);
		return {id: body.user._id, fullName: body.user.fullName ?? body.user.firstname ?? '', ...(body.user.email ? {email: body.user.email} : {})};
	}

	async getRequest(requestId: string, signal?: AbortSignal): Promise<TiledeskRequest | null> {
		try {
			return (await this.call('GET', `/${this.projectId}/requests/${encodeURIComponent(requestId)}`, undefined, RequestResponse, signal)) as TiledeskRequest;
		} catch (error) {
			if (error instanceof TiledeskError && error.kind === 'not-found') return null;
			throw error;
		}
	}

	async createRequest(input: CreateRequestInput, signal?: AbortSignal): Promise<TiledeskRequest> {
		return (await this.call('POST', `/${this.projectId}/requests`, input, RequestResponse, signal)) as TiledeskRequest;
	}

	async postMessages(requestId: string, messages: MessageInput[], signal?: AbortSignal): Promise<TiledeskMessage[]> {
		// Always an array: the server never answers a non-array body (it hangs).
		return (await this.call('POST', `/${this.projectId}/requests/${encodeURIComponent(requestId)}/messages/multi`, [...messages], z.array(MessageResponse), signal)) as TiledeskMessage[];
	}

	async listMessages(requestId: string, signal?: AbortSignal): Promise<TiledeskMessage[]> {
		return (await this.call('GET', `/${this.projectId}/requests/${encodeURIComponent(requestId)}/messages`, undefined, z.array(MessageResponse), signal)) as TiledeskMessage[];
	}

	async closeRequest(requestId: string, signal?: AbortSignal): Promise<void> {
		await this.call('PUT', `/${this.projectId}/requests/${encodeURIComponent(requestId)}/close`, {}, z.unknown(), signal);
	}

	async deleteRequest(requestId: string, signal?: AbortSignal): Promise<void> {
		await this.call('DELETE', `/${this.projectId}/requests/${encodeURIComponent(requestId)}`, undefined, z.unknown(), signal);
	}

	async getQuota(signal?: AbortSignal): Promise<QuotaInfo> {
		const body = await this.call('POST', `/${this.projectId}/quotes`, {}, QuotesResponse, signal);
		const used = body.quotes?.requests?.quote;
		return used === undefined ? {} : {requestsUsed: used};
	}

	async close(): Promise<void> {
		if (this.ownsDispatcher) await this.dispatcher.close();
	}

	private authorization(): string | undefined {
		if (this.auth.kind === 'jwt') return this.auth.token || undefined;
		return `Basic ${Buffer.from(`${this.auth.email}:${this.auth.password}`).toString('base64')}`;
	}

	/** One HTTP call. `operation` in errors uses the route shape, never ids of secrets or headers. */
	private async call<T extends z.ZodType>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body: unknown, schema: T, signal?: AbortSignal, authenticated = true): Promise<z.infer<T>> {
		const operation = `${method} ${path.replace(this.projectId, ':pid')}`;
		const headers: Record<string, string> = {accept: 'application/json'};
		if (body !== undefined) headers['content-type'] = 'application/json';
		const authorization = authenticated ? this.authorization() : undefined;
		if (authorization) headers['authorization'] = authorization;
		let response;
		try {
			response = await request(`${this.baseUrl}${path}`, {
				method,
				headers,
				...(body !== undefined ? {body: JSON.stringify(body)} : {}),
				dispatcher: this.dispatcher,
				headersTimeout: this.timeouts.headersMs,
				bodyTimeout: this.timeouts.bodyMs,
				...(signal ? {signal} : {}),
			});
		} catch (error) {
			throw classifyFailure(error, operation, this.baseUrl);
		}
		let text: string;
		try {
			text = await response.body.text();
		} catch (error) {
			throw classifyFailure(error, operation, this.baseUrl);
		}
		let parsed: unknown = text;
		const type = String(response.headers['content-type'] ?? '');
		if (type.includes('json') || /^\s*[[{]/.test(text)) {
			try {
				parsed = JSON.parse(text);
			} catch {
				parsed = text;
			}
		}
		if (response.statusCode < 200 || response.statusCode >= 300) {
			throw classifyResponse(response.statusCode, response.headers, parsed, operation);
		}
		const result = schema.safeParse(parsed);
		if (!result.success) {
			throw new TiledeskError({
				kind: 'server',
				status: response.statusCode,
				operation,
				retryable: false,
				message: `Unexpected response to ${operation}: ${result.error.issues[0]?.path.join('.') || 'body'} ${result.error.issues[0]?.message ?? ''}`.trim(),
			});
		}
		return result.data;
	}
}
