/**
 * The Tiledesk operations the importer uses, as an interface. `TiledeskClient` (./client.ts) implements it
 * over HTTP; the engine and the wizard depend only on this interface, so they can be tested with fakes.
 * The wire shapes (zod schemas shared by the client and the sandbox) live in ./contract.ts.
 */

export type ErrorKind =
	| 'bad-credentials' // 401 / wrong password / unknown user / bad token
	| 'forbidden' // 403: not a member of the project, or role too low (see `reason`)
	| 'project-not-found' // 400 "Project not found" / 404 on /projects/:id / malformed id
	| 'validation' // 422 / 400 with a validation body; also input refused client-side (bad URL, http:// without allowInsecureHttp)
	| 'not-found' // 404 on a request or message
	| 'body-too-large' // 413
	| 'create-refused' // 500 "Unable to create request": monthly quota reached OR duplicate request_id OR unknown departmentid (read to tell)
	| 'rate-limited' // 429
	| 'server' // other 5xx
	| 'network' // connection refused/reset, DNS, TLS
	| 'timeout' // connect/headers/body timeout or a hung response
	| 'aborted'; // our own AbortSignal

export interface TiledeskErrorInfo {
	kind: ErrorKind;
	/** One human sentence, no secrets, e.g. "The password for owner@example.com was rejected (401)." */
	message: string;
	status?: number;
	/** For `forbidden`: 'not-member' | 'role-too-low' | 'sender-not-found' | 'not-participant' (closing as a non-participant agent). */
	reason?: string;
	/** Safe to retry the same call (429, 5xx other than create-refused, network, timeout). */
	retryable: boolean;
	/** From a Retry-After header, in ms. */
	retryAfterMs?: number;
	/** METHOD and path (no query secrets), for logs. */
	operation?: string;
}

export interface ProjectInfo {
	id: string;
	name: string;
	/** Plan name from `profile.name` (e.g. "Sandbox", "Free trial"), when present. */
	plan?: string;
	/** Monthly conversation limit for the plan, when known. */
	monthlyConversationLimit?: number;
}

export interface ConnectionInfo {
	project: ProjectInfo;
	/** The caller's role in the project ('owner' | 'admin' | 'agent' | …). */
	role?: string;
	user: {id: string; email?: string; fullName?: string};
}

export interface AnonymousUser {
	/** uuid_user of the guest project_user; use it as `sender` for create-request and end-user messages. */
	id: string;
	fullName: string;
	email?: string;
}

export interface CreateRequestInput {
	request_id: string;
	first_text: string;
	sender?: string;
	senderFullname?: string;
	email?: string;
	subject?: string;
	departmentid?: string;
	language?: string;
	channel?: {name: string};
	participants?: string[];
	attributes?: Record<string, unknown>;
}

export interface TiledeskRequest {
	_id: string;
	request_id: string;
	status: number;
	participants: string[];
	first_text?: string;
	subject?: string;
	attributes?: Record<string, unknown>;
	lead?: unknown;
	createdAt?: string;
	[extra: string]: unknown;
}

export interface MessageInput {
	sender: string;
	senderFullname: string;
	text?: string;
	type?: string;
	/** 200 (RECEIVED) for historical lines: not pushed to chat21, no live notifications. */
	status?: number;
	attributes?: Record<string, unknown>;
	metadata?: Record<string, unknown>;
	language?: string;
}

export interface TiledeskMessage {
	_id: string;
	sender: string;
	senderFullname?: string;
	recipient: string;
	text?: string;
	type?: string;
	status?: number;
	attributes?: Record<string, unknown>;
	metadata?: Record<string, unknown>;
	createdAt?: string;
	[extra: string]: unknown;
}

export interface QuotaInfo {
	/** Conversations created in the current monthly slot. */
	requestsUsed?: number;
	/** `GET /:pid/quotes/requests` → isAvailable. */
	requestsAvailable?: boolean;
}

/**
 * Every call takes an optional AbortSignal and rejects with a TiledeskError (./errors.ts) carrying
 * TiledeskErrorInfo. Calls never retry by themselves: retry policy belongs to the caller (the engine),
 * which knows whether a POST is safe to repeat.
 */
export interface TiledeskApi {
	readonly baseUrl: string;
	readonly projectId: string;
	testConnection(signal?: AbortSignal): Promise<ConnectionInfo>;
	signInAnonymously(
		input: {firstname?: string; lastname?: string; email?: string; attributes?: Record<string, unknown>},
		signal?: AbortSignal,
	): Promise<AnonymousUser>;
	/** null when the request does not exist (404). */
	getRequest(requestId: string, signal?: AbortSignal): Promise<TiledeskRequest | null>;
	createRequest(input: CreateRequestInput, signal?: AbortSignal): Promise<TiledeskRequest>;
	/** Always sends an array; returns the saved messages in input order. */
	postMessages(requestId: string, messages: MessageInput[], signal?: AbortSignal): Promise<TiledeskMessage[]>;
	/** All messages (the server does not page); [] for an unknown request. */
	listMessages(requestId: string, signal?: AbortSignal): Promise<TiledeskMessage[]>;
	closeRequest(requestId: string, signal?: AbortSignal): Promise<void>;
	deleteRequest(requestId: string, signal?: AbortSignal): Promise<void>;
	getQuota(signal?: AbortSignal): Promise<QuotaInfo>;
	/** Releases the connection pool. */
	close(): Promise<void>;
}
