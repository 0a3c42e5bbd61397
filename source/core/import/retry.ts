/**
 * Retry policy. Only idempotent calls (reads) are retried blindly; the conversation importer decides for writes,
 * after a read shows whether the write applied. Exponential backoff with full jitter, honouring Retry-After.
 */
import {TiledeskError} from '../tiledesk/errors.js';

export interface RetryPolicy {
	/** Attempts per call, including the first. */
	attempts: number;
	baseMs: number;
	maxMs: number;
	/**
	 * After a write whose answer was lost (timeout, connection reset), how long to wait between the reads that must
	 * agree before anything is sent again: a server can still apply a request after its client gave up on it.
	 * Default: 2 s, at most `maxMs`.
	 */
	settleMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = {attempts: 8, baseMs: 400, maxMs: 30_000};

/** The wait between two settle reads (see RetryPolicy.settleMs). */
export function settleDelay(policy: RetryPolicy): number {
	return policy.settleMs ?? Math.min(2000, policy.maxMs);
}

export interface Clock {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	random(): number;
}

export const realClock: Clock = {
	now: () => Date.now(),
	random: () => Math.random(),
	sleep: (ms, signal) =>
		new Promise<void>((resolve, reject) => {
			if (signal?.aborted) return reject(abortError());
			const timer = setTimeout(() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			}, ms);
			const onAbort = () => {
				clearTimeout(timer);
				reject(abortError());
			};
			signal?.addEventListener('abort', onAbort, {once: true});
		}),
};

export function abortError(): TiledeskError {
	return new TiledeskError({kind: 'aborted', retryable: false, message: 'The import was aborted.'});
}

/** Delay before attempt `attempt` (1 = first retry): full jitter over an exponential ceiling, or Retry-After. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
	if (retryAfterMs !== undefined) return Math.min(policy.maxMs, retryAfterMs + Math.floor(random() * 250));
	const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
	return Math.max(50, Math.floor(random() * ceiling));
}

export function isRetryable(error: unknown): error is TiledeskError {
	return error instanceof TiledeskError && error.retryable;
}

export function asTiledeskError(error: unknown): TiledeskError {
	if (error instanceof TiledeskError) return error;
	const e = error as Error;
	return new TiledeskError({kind: 'server', retryable: false, message: `Unexpected error: ${e?.message ?? String(error)}`});
}

/** Errors that end the whole run: nothing later can succeed with the same credentials and project. */
export function isFatal(error: TiledeskError): boolean {
	if (error.kind === 'bad-credentials' || error.kind === 'project-not-found') return true;
	if (error.kind === 'forbidden' && (error.info.reason === 'not-member' || error.info.reason === 'role-too-low')) return true;
	return false;
}
