/**
 * The Tiledesk REST client (undici): one Agent per client with keep-alive and explicit connect/headers/body
 * timeouts, an AbortSignal on every call, zod-validated responses, typed errors (./errors.ts), no retries
 * (the import engine owns retry policy, because only it knows whether a POST is safe to repeat).
 */
import {Agent, request, type Dispatcher} from 'undici';
import type {z} from 'zod';
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
import {
	AnonymousBody,
	AnonymousResponse,
	CreateRequestBody,
	MessagesResponse,
	MultiBody,
	ProjectResponse,
	ProjectUsersMeResponse,
	QuotesAvailableResponse,
	QuotesResponse,
	RequestResponse,
	SigninBody,
	SigninResponse,
} from './contract.js';
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
	/** Shared connection pool; by default the client creates its own Agent (see createDispatcher) and closes it. */
	dispatcher?: Dispatcher;
	timeouts?: Partial<Timeouts>;
	/** Allow plain http:// to a non-loopback host (the CLI flag --allow-insecure-http). Loopback is always allowed. */
	allowInsecureHttp?: boolean;
}

export const DEFAULT_TIMEOUTS: Timeouts = {connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000};
const PROJECT_ID = /^[0-9a-f]{24}$/i;

/** Monthly conversation limits per plan (QuoteManager PLANS_LIST in the server). */
const PLAN_LIMITS: Record<string, number> = {sandbox: 200, basic: 800, starter: 800, premium: 3000, pro: 3000, team: 5000, business: 5000, custom: 5000, 'free trial': 3000};

function isLoopback(hostname: string): boolean {
	return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The API base without a trailing slash. Refuses non-http(s) URLs, and plain http:// to a host other than loopback
 * unless `allowInsecureHttp` (credentials and tokens would cross the network unencrypted).
 */
export function normalizeBaseUrl(url: string, allowInsecureHttp = false): string {
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		throw new TiledeskError({kind: 'validation', retryable: false, message: `"${url}" is not a URL (expected e.g. https://api.tiledesk.com/v3)`});
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:') {
		throw new TiledeskError({kind: 'validation', retryable: false, message: `"${url}" must start with https:// (or http:// for a local server)`});
	}
	if (u.username || u.password) {
		throw new TiledeskError({kind: 'validation', retryable: false, message: `The server URL must not contain credentials; give the e-mail and password separately.`});
	}
	if (u.protocol === 'http:' && !isLoopback(u.hostname) && !allowInsecureHttp) {
		throw new TiledeskError({
			kind: 'validation',
			retryable: false,
			message: `${u.origin} uses plain http://, which would send the password and token unencrypted; use https://, or pass --allow-insecure-http if this network is trusted.`,
		});
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

/** One keep-alive connection pool with the client's connect/headers/body timeouts; share it for a whole run. */
export function createDispatcher(timeouts: Partial<Timeouts> = {}): Agent {
	const t = {...DEFAULT_TIMEOUTS, ...timeouts};
	return new Agent({keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connect: {timeout: t.connectMs}, headersTimeout: t.headersMs, bodyTimeout: t.bodyMs});
}

function inputError(what: string, error: z.ZodError): TiledeskError {
	const issue = error.issues[0];
	return new TiledeskError({kind: 'validation', retryable: false, message: `${what}: field ${issue?.path.join('.') || '(body)'} ${issue?.message ?? 'is invalid'}.`});
}

export class TiledeskClient implements TiledeskApi {
	readonly baseUrl: string;
	readonly projectId: string;
	private readonly auth: Auth;
	private readonly dispatcher: Dispatcher;
	private readonly ownsDispatcher: boolean;
	private readonly timeouts: Timeouts;

	constructor(options: ClientOptions, internal?: {ownsDispatcher: boolean}) {
		this.baseUrl = normalizeBaseUrl(options.baseUrl, options.allowInsecureHttp);
		this.projectId = options.projectId;
		this.auth = options.auth;
		this.timeouts = {...DEFAULT_TIMEOUTS, ...options.timeouts};
		this.ownsDispatcher = internal?.ownsDispatcher ?? options.dispatcher === undefined;
		this.dispatcher = options.dispatcher ?? createDispatcher(this.timeouts);
	}

	/**
	 * Signs in with e-mail and password (`POST /auth/signin`) and returns a client that sends the returned
	 * "JWT …" token verbatim on every call. The sign-in call and the client share one connection pool.
	 */
	static async signIn(options: Omit<ClientOptions, 'auth'> & {email: string; password: string; signal?: AbortSignal}): Promise<{client: TiledeskClient; token: string; user: {id: string; email?: string; fullName?: string}}> {
		const {email, password, signal, ...rest} = options;
		const dispatcher = options.dispatcher ?? createDispatcher({...DEFAULT_TIMEOUTS, ...options.timeouts});
		const owns = options.dispatcher === undefined;
		try {
			const anonymous = new TiledeskClient({...rest, dispatcher, auth: {kind: 'jwt', token: ''}}, {ownsDispatcher: false});
			const body = await anonymous.call('POST', '/auth/signin', SigninBody.parse({email, password}), SigninResponse, signal, false);
			const fullName = [body.user.firstname, body.user.lastname].filter(Boolean).join(' ');
			const client = new TiledeskClient({...rest, dispatcher, auth: {kind: 'jwt', token: body.token}}, {ownsDispatcher: owns});
			return {client, token: body.token, user: {id: body.user._id, ...(body.user.email ? {email: body.user.email} : {}), ...(fullName ? {fullName} : {})}};
		} catch (error) {
			if (owns) await dispatcher.close();
			throw error;
		}
	}

	/**
	 * `GET /projects/:id` (credentials, membership with at least the agent role, project name and plan), then
	 * `GET /:pid/project_users/me` (the caller's role). The server answers an unknown project on /projects/:id like a
	 * foreign one (403 "you dont belong to the project."); the second call tells them apart (400 "Project not found").
	 */
	async testConnection(signal?: AbortSignal): Promise<ConnectionInfo> {
		assertProjectId(this.projectId);
		// Both at once: one round trip less on a far server. The membership also tells "no such project" apart.
		const membership = this.call('GET', `/${this.projectId}/project_users/me`, undefined, ProjectUsersMeResponse, signal);
		membership.catch(() => {}); // awaited below, or its error is only a diagnosis
		let project;
		try {
			project = await this.call('GET', `/projects/${this.projectId}`, undefined, ProjectResponse, signal);
		} catch (error) {
			if (error instanceof TiledeskError && error.kind === 'forbidden' && error.info.reason === 'not-member') {
				const second = await membership.then(
					() => undefined,
					(e: unknown) => e,
				);
				if (second instanceof TiledeskError && second.kind === 'project-not-found') {
					throw new TiledeskError({...second.info, message: `There is no project with id ${this.projectId} on ${this.baseUrl}.`});
				}
			}
			throw error;
		}
		const me = await membership;
		const plan = project.profile?.name;
		const limit = plan ? PLAN_LIMITS[plan.toLowerCase()] : undefined;
		const first = me[0];
		const idUser = first?.id_user;
		const userId = typeof idUser === 'string' ? idUser : (idUser?._id ?? '');
		return {
			project: {id: project._id, name: project.name, ...(plan ? {plan} : {}), ...(limit ? {monthlyConversationLimit: limit} : {})},
			...(first?.role ? {role: first.role} : {}),
			user: {id: userId, ...(this.auth.kind === 'basic' ? {email: this.auth.email.toLowerCase()} : {})},
		};
	}

	async signInAnonymously(input: {firstname?: string; lastname?: string; email?: string; attributes?: Record<string, unknown>}, signal?: AbortSignal): Promise<AnonymousUser> {
		assertProjectId(this.projectId);
		const parsed = AnonymousBody.safeParse({id_project: this.projectId, ...input});
		if (!parsed.success) throw inputError('Anonymous requester', parsed.error);
		const body = await this.call('POST', '/auth/signinAnonymously', parsed.data, AnonymousResponse, signal, false);
		return {id: body.user._id, fullName: (body.user.fullName ?? body.user.firstname ?? '').trim(), ...(body.user.email ? {email: body.user.email} : {})};
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
		const wire: z.input<typeof CreateRequestBody> = input; // the interface must stay within the wire contract
		const parsed = CreateRequestBody.safeParse(wire);
		if (!parsed.success) throw inputError(`Conversation ${input.request_id}`, parsed.error);
		return (await this.call('POST', `/${this.projectId}/requests`, parsed.data, RequestResponse, signal)) as TiledeskRequest;
	}

	async postMessages(requestId: string, messages: MessageInput[], signal?: AbortSignal): Promise<TiledeskMessage[]> {
		// Always an array: the server never answers a non-array body (it hangs).
		const wire: z.input<typeof MultiBody> = messages;
		const parsed = MultiBody.safeParse(wire);
		if (!parsed.success) throw inputError(`Messages of ${requestId}`, parsed.error);
		return (await this.call('POST', `/${this.projectId}/requests/${encodeURIComponent(requestId)}/messages/multi`, parsed.data, MessagesResponse, signal)) as TiledeskMessage[];
	}

	async listMessages(requestId: string, signal?: AbortSignal): Promise<TiledeskMessage[]> {
		return (await this.call('GET', `/${this.projectId}/requests/${encodeURIComponent(requestId)}/messages`, undefined, MessagesResponse, signal)) as TiledeskMessage[];
	}

	async closeRequest(requestId: string, signal?: AbortSignal): Promise<void> {
		await this.call('PUT', `/${this.projectId}/requests/${encodeURIComponent(requestId)}/close`, {}, RequestResponse, signal);
	}

	async deleteRequest(requestId: string, signal?: AbortSignal): Promise<void> {
		await this.call('DELETE', `/${this.projectId}/requests/${encodeURIComponent(requestId)}`, undefined, RequestResponse, signal);
	}

	/** `POST /:pid/quotes` (conversations used this month) and `GET /:pid/quotes/requests` (still available?). */
	async getQuota(signal?: AbortSignal): Promise<QuotaInfo> {
		const body = await this.call('POST', `/${this.projectId}/quotes`, {}, QuotesResponse, signal);
		const available = await this.call('GET', `/${this.projectId}/quotes/requests`, undefined, QuotesAvailableResponse, signal);
		return {requestsUsed: body.quotes.requests.quote, requestsAvailable: available.isAvailable};
	}

	async close(): Promise<void> {
		if (this.ownsDispatcher) await this.dispatcher.close();
	}

	private authorization(): string | undefined {
		if (this.auth.kind === 'jwt') return this.auth.token || undefined;
		return `Basic ${Buffer.from(`${this.auth.email}:${this.auth.password}`).toString('base64')}`;
	}

	/** One HTTP call. `operation` in errors uses the route shape (":pid"), never headers, tokens or passwords. */
	private async call<T extends z.ZodType>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body: unknown, schema: T, signal?: AbortSignal, authenticated = true): Promise<z.infer<T>> {
		const operation = `${method} ${path.replace(this.projectId, ':pid')}`;
		if (signal?.aborted) throw classifyFailure(signal.reason, operation, this.baseUrl, signal);
		const headers: Record<string, string> = {accept: 'application/json'};
		if (body !== undefined) headers['content-type'] = 'application/json';
		const authorization = authenticated ? this.authorization() : undefined;
		if (authorization) headers['authorization'] = authorization;
		let status: number;
		let responseHeaders: Record<string, string | string[] | undefined>;
		let text: string;
		try {
			const response = await request(`${this.baseUrl}${path}`, {
				method,
				headers,
				...(body !== undefined ? {body: JSON.stringify(body)} : {}),
				dispatcher: this.dispatcher,
				headersTimeout: this.timeouts.headersMs,
				bodyTimeout: this.timeouts.bodyMs,
				...(signal ? {signal} : {}),
			});
			status = response.statusCode;
			responseHeaders = response.headers;
			text = await response.body.text();
		} catch (error) {
			throw classifyFailure(error, operation, this.baseUrl, signal);
		}
		let parsed: unknown = text;
		const type = String(responseHeaders['content-type'] ?? '');
		if (type.includes('json') || /^\s*[[{]/.test(text)) {
			try {
				parsed = JSON.parse(text);
			} catch {
				parsed = text;
			}
		}
		if (status < 200 || status >= 300) throw classifyResponse(status, responseHeaders, parsed, operation);
		const result = schema.safeParse(parsed);
		if (!result.success) {
			const issue = result.error.issues[0];
			throw new TiledeskError({
				kind: 'server',
				status,
				operation,
				retryable: false,
				message: `Unexpected response to ${operation}: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim(),
			});
		}
		return result.data;
	}
}
