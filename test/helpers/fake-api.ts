/**
 * An in-memory TiledeskApi for engine tests, with scripted faults: fail before a call applies, fail after it
 * applied (the answer is lost), save only part of a multi batch, answer 429. Behaves like the server where the
 * engine depends on it: multi saves in input order, GET of an unknown request is null, create of an existing id
 * or beyond the quota is "Unable to create request".
 */
import type {
	AnonymousUser,
	ConnectionInfo,
	CreateRequestInput,
	MessageInput,
	QuotaInfo,
	TiledeskApi,
	TiledeskMessage,
	TiledeskRequest,
} from '../../source/core/tiledesk/api.js';
import {TiledeskError} from '../../source/core/tiledesk/errors.js';

export type Operation = 'getRequest' | 'createRequest' | 'postMessages' | 'listMessages' | 'signInAnonymously' | 'closeRequest' | 'deleteRequest';

/** What to do with one call: nothing, fail before applying, fail after applying, or save only `partial` items. */
export type Fault =
	| {kind: 'before'; error: TiledeskError}
	| {kind: 'after'; error: TiledeskError}
	| {kind: 'partial'; keep: number; error: TiledeskError}
	/** The answer is lost at once (a client timeout) but the server applies the call `afterMs` later. */
	| {kind: 'late'; afterMs: number; error: TiledeskError};

export const errors = {
	server: () => new TiledeskError({kind: 'server', status: 500, retryable: true, message: 'The server answered 500.'}),
	timeout: () => new TiledeskError({kind: 'timeout', retryable: true, message: 'timed out'}),
	reset: () => new TiledeskError({kind: 'network', retryable: true, message: 'connection reset'}),
	rateLimited: (ms = 20) => new TiledeskError({kind: 'rate-limited', status: 429, retryable: true, retryAfterMs: ms, message: 'rate limited'}),
	badCredentials: () => new TiledeskError({kind: 'bad-credentials', status: 401, retryable: false, message: 'The server rejected the credentials.'}),
	refused: () => new TiledeskError({kind: 'create-refused', status: 500, retryable: false, message: 'Unable to create request'}),
};

export const PROJECT_ID = '6b062dde0fe55021d73267f8';
export const USER_ID = '6b062dde0fe55021d73267ee';

export const CONNECTION: ConnectionInfo = {project: {id: PROJECT_ID, name: 'Fake project', plan: 'Sandbox', monthlyConversationLimit: 200}, role: 'owner', user: {id: USER_ID}};

export class FakeApi implements TiledeskApi {
	readonly baseUrl = 'https://fake.test/v3';
	readonly projectId = PROJECT_ID;
	requests = new Map<string, TiledeskRequest>();
	messages = new Map<string, TiledeskMessage[]>();
	guests: AnonymousUser[] = [];
	calls: {op: Operation; requestId?: string; count?: number}[] = [];
	quota = Infinity;
	created = 0;
	/** Called before every operation; returns a fault to apply to this call, if any. */
	faults: (op: Operation, callNumber: number, requestId?: string) => Fault | undefined = () => undefined;
	/** Artificial latency per call (ms), so concurrency is observable. */
	latencyMs = 0;
	/** Latency of one kind of call, over `latencyMs`. */
	latencyOf: (op: Operation) => number = () => this.latencyMs;
	private seq = 0;
	private counts = new Map<Operation, number>();
	inFlight = 0;
	maxInFlight = 0;

	private async enter<T>(op: Operation, requestId: string | undefined, apply: () => T, partial?: (keep: number) => void, count?: number): Promise<T> {
		const n = (this.counts.get(op) ?? 0) + 1;
		this.counts.set(op, n);
		this.calls.push({op, ...(requestId ? {requestId} : {}), ...(count !== undefined ? {count} : {})});
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			const latency = this.latencyOf(op);
			if (latency) await new Promise((r) => setTimeout(r, latency));
			else await Promise.resolve();
			const fault = this.faults(op, n, requestId);
			if (fault?.kind === 'before') throw fault.error;
			if (fault?.kind === 'late') {
				setTimeout(apply, fault.afterMs);
				throw fault.error;
			}
			if (fault?.kind === 'partial') {
				partial?.(fault.keep);
				throw fault.error;
			}
			const value = apply();
			if (fault?.kind === 'after') throw fault.error;
			return value;
		} finally {
			this.inFlight--;
		}
	}

	count(op: Operation): number {
		return this.calls.filter((c) => c.op === op).length;
	}

	async testConnection(): Promise<ConnectionInfo> {
		return CONNECTION;
	}

	async signInAnonymously(input: {firstname?: string; lastname?: string; email?: string}): Promise<AnonymousUser> {
		return this.enter('signInAnonymously', undefined, () => {
			const guest = {id: `guest-${++this.seq}-0000-0000-0000-000000000000`, fullName: [input.firstname, input.lastname].filter(Boolean).join(' '), ...(input.email ? {email: input.email} : {})};
			this.guests.push(guest);
			return guest;
		});
	}

	async getRequest(requestId: string): Promise<TiledeskRequest | null> {
		return this.enter('getRequest', requestId, () => this.requests.get(requestId) ?? null);
	}

	async createRequest(input: CreateRequestInput): Promise<TiledeskRequest> {
		return this.enter('createRequest', input.request_id, () => {
			if (this.requests.has(input.request_id) || this.created >= this.quota) throw errors.refused();
			this.created++;
			const request: TiledeskRequest = {
				_id: `r${++this.seq}`,
				request_id: input.request_id,
				status: input.participants?.length ? 200 : 100,
				participants: input.participants ?? [],
				first_text: input.first_text,
				...(input.subject ? {subject: input.subject} : {}),
				attributes: input.attributes ?? {},
				lead: {lead_id: input.sender, fullname: input.senderFullname, ...(input.email ? {email: input.email} : {})},
				body: input,
			};
			this.requests.set(input.request_id, request);
			return request;
		});
	}

	async postMessages(requestId: string, messages: MessageInput[]): Promise<TiledeskMessage[]> {
		const save = (items: MessageInput[]) => {
			if (!this.requests.has(requestId)) throw new TiledeskError({kind: 'not-found', status: 404, retryable: false, message: "Request doesn't exist."});
			const saved = items.map((m) => ({...m, _id: `m${++this.seq}`, recipient: requestId}) as TiledeskMessage);
			this.messages.set(requestId, [...(this.messages.get(requestId) ?? []), ...saved]);
			return saved;
		};
		return this.enter('postMessages', requestId, () => save(messages), (keep) => save(messages.slice(0, keep)), messages.length);
	}

	async listMessages(requestId: string): Promise<TiledeskMessage[]> {
		return this.enter('listMessages', requestId, () => [...(this.messages.get(requestId) ?? [])]);
	}

	async closeRequest(requestId: string): Promise<void> {
		return this.enter('closeRequest', requestId, () => {
			const r = this.requests.get(requestId);
			if (r) r.status = 1000;
		});
	}

	async deleteRequest(requestId: string): Promise<void> {
		return this.enter('deleteRequest', requestId, () => {
			this.requests.delete(requestId);
			this.messages.delete(requestId);
		});
	}

	async getQuota(): Promise<QuotaInfo> {
		return {requestsUsed: this.created};
	}

	async close(): Promise<void> {}
}
