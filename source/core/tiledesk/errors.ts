/**
 * Typed Tiledesk errors with human messages. Nothing here ever includes an Authorization header, a token or a
 * password: messages are built from the status, the server's own short reason, and the operation (method + path).
 */
import type {ErrorKind, TiledeskErrorInfo} from './api.js';
import {errorReason, PLAIN_BAD_REQUEST} from './contract.js';

export class TiledeskError extends Error {
	readonly info: TiledeskErrorInfo;

	constructor(info: TiledeskErrorInfo) {
		super(info.message);
		this.name = 'TiledeskError';
		this.info = info;
	}

	get kind(): ErrorKind {
		return this.info.kind;
	}

	get retryable(): boolean {
		return this.info.retryable;
	}

	get retryAfterMs(): number | undefined {
		return this.info.retryAfterMs;
	}
}

function retryAfter(headers: Record<string, string | string[] | undefined>): number | undefined {
	const raw = headers['retry-after'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Classifies a non-2xx response. `operation` is e.g. "POST /:pid/requests" (never with secrets). */
export function classifyResponse(
	status: number,
	headers: Record<string, string | string[] | undefined>,
	body: unknown,
	operation: string,
): TiledeskError {
	const reason = errorReason(body);
	const base = {status, operation};
	const said = reason ? ` (server said: ${reason})` : '';
	if (status === 401) {
		return new TiledeskError({...base, kind: 'bad-credentials', retryable: false, message: `The server rejected the credentials${said}.`});
	}
	if (status === 400 && reason === PLAIN_BAD_REQUEST) {
		return new TiledeskError({...base, kind: 'bad-credentials', retryable: false, message: 'The server could not read the Authorization header (a token without its "JWT " prefix?).'});
	}
	if (status === 400 && reason && /project id|Project not found/i.test(reason)) {
		return new TiledeskError({...base, kind: 'project-not-found', retryable: false, message: `Project not found${said}.`});
	}
	if (status === 403) {
		const r = reason ?? '';
		if (operation.startsWith('DELETE') && /Unauthorized/.test(r)) {
			return new TiledeskError({...base, kind: 'forbidden', reason: 'role-too-low', retryable: false, message: 'Deleting conversations needs the owner role in the project.'});
		}
		const sub = /dont belong/.test(r)
			? 'not-member'
			: /required role/.test(r)
				? 'role-too-low'
				: /Project_user not found/.test(r)
					? 'sender-not-found'
					: /among the participants/.test(r)
						? 'not-participant'
						: 'forbidden';
		const message =
			sub === 'not-member'
				? 'This user is not a member of the project.'
				: sub === 'role-too-low'
					? 'This user\'s role in the project is too low (agent or higher is needed to create conversations; owner to delete them).'
					: sub === 'sender-not-found'
						? `The conversation's sender is not a user of the project${said}.`
						: sub === 'not-participant'
							? 'Only a participant of the conversation (or an owner/admin) may close it.'
							: `Access denied${said}.`;
		return new TiledeskError({...base, kind: 'forbidden', reason: sub, retryable: false, message});
	}
	if (status === 404) return new TiledeskError({...base, kind: 'not-found', retryable: false, message: `Not found: ${operation}${said}.`});
	if (status === 413) return new TiledeskError({...base, kind: 'body-too-large', retryable: false, message: 'The request body exceeds the server\'s limit (500 KB).'});
	if (status === 422 || status === 400) return new TiledeskError({...base, kind: 'validation', retryable: false, message: `The server rejected the data${said}.`});
	if (status === 429) {
		const after = retryAfter(headers);
		return new TiledeskError({...base, kind: 'rate-limited', retryable: true, ...(after !== undefined ? {retryAfterMs: after} : {}), message: 'The server is rate limiting requests.'});
	}
	if (status === 500 && reason === 'Unable to create request') {
		return new TiledeskError({
			...base,
			kind: 'create-refused',
			retryable: false,
			message: 'The server refused to create the conversation: the monthly conversation quota is reached, the request id already exists, or the department does not exist.',
		});
	}
	const after = retryAfter(headers);
	return new TiledeskError({...base, kind: 'server', retryable: status >= 500, ...(after !== undefined ? {retryAfterMs: after} : {}), message: `The server answered ${status} to ${operation}${said}.`});
}

/**
 * Maps a thrown network/undici/abort error to a TiledeskError. `signal` is the caller's own AbortSignal: when it has
 * fired, the failure is `aborted` whatever undici threw (it may rethrow the signal's reason).
 */
export function classifyFailure(error: unknown, operation: string, baseUrl: string, signal?: AbortSignal): TiledeskError {
	const e = error as {name?: string; code?: string; cause?: {code?: string}; message?: string};
	const code = e.code ?? e.cause?.code ?? '';
	if (signal?.aborted || e.name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') {
		return new TiledeskError({kind: 'aborted', retryable: false, operation, message: `${operation} was cancelled.`});
	}
	if (/TIMEOUT/.test(code) || e.name === 'TimeoutError') {
		return new TiledeskError({kind: 'timeout', retryable: true, operation, message: `${operation} timed out waiting for ${baseUrl}.`});
	}
	if (code === 'ECONNREFUSED') return new TiledeskError({kind: 'network', retryable: true, operation, message: `The server at ${baseUrl} refused the connection — is it running?`});
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new TiledeskError({kind: 'network', retryable: true, operation, message: `The host of ${baseUrl} could not be resolved.`});
	if (/CERT|SSL|TLS/.test(code)) return new TiledeskError({kind: 'network', retryable: false, operation, message: `TLS error talking to ${baseUrl} (${code}); set NODE_EXTRA_CA_CERTS for a private CA.`});
	if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
		return new TiledeskError({kind: 'network', retryable: true, operation, message: `The connection to ${baseUrl} was closed before ${operation} was answered (${code}); the call may or may not have been applied.`});
	}
	return new TiledeskError({kind: 'network', retryable: true, operation, message: `Network error talking to ${baseUrl} (${code || e.name || 'unknown'}).`});
}
