/**
 * Pacing for the whole run: how many conversations are in flight (additive increase, multiplicative decrease on
 * 429), an optional cap on API calls per minute, a shared back-off window after a rate limit, and pause/resume.
 * Every API call of the run passes `gate()`; every conversation holds a slot from `acquire()`.
 */
import type {Clock} from './retry.js';

export interface PacerOptions {
	maxConcurrency: number;
	/** 0 = no cap. */
	requestsPerMinute: number;
	clock: Clock;
}

export class Pacer {
	private limit: number;
	private active = 0;
	private successes = 0;
	private nextCallAt = 0;
	private backoffUntil = 0;
	private paused = false;
	private waiters: (() => void)[] = [];
	private resumeWaiters: (() => void)[] = [];

	constructor(private readonly options: PacerOptions) {
		this.limit = options.maxConcurrency;
	}

	get concurrency(): number {
		return this.limit;
	}

	get inFlight(): number {
		return this.active;
	}

	get isPaused(): boolean {
		return this.paused;
	}

	/** Waits for a conversation slot (respects the current AIMD limit and pause). */
	async acquire(signal?: AbortSignal): Promise<void> {
		await this.whileUnpaused(signal);
		while (this.active >= this.limit) {
			await new Promise<void>((resolve) => this.waiters.push(resolve));
			await this.whileUnpaused(signal);
		}
		this.active++;
	}

	release(): void {
		this.active--;
		this.wake();
	}

	/** Before each API call: pause, the shared back-off window after a 429, and the calls-per-minute cap. */
	async gate(signal?: AbortSignal): Promise<void> {
		await this.whileUnpaused(signal);
		const {clock} = this.options;
		let now = clock.now();
		if (this.backoffUntil > now) {
			await clock.sleep(this.backoffUntil - now, signal);
			now = clock.now();
		}
		if (this.options.requestsPerMinute > 0) {
			const interval = 60_000 / this.options.requestsPerMinute;
			const at = Math.max(now, this.nextCallAt);
			this.nextCallAt = at + interval;
			if (at > now) await clock.sleep(at - now, signal);
		}
	}

	/** A 429: halve the conversations in flight and hold every call for the server's Retry-After. */
	rateLimited(retryAfterMs: number): void {
		this.limit = Math.max(1, Math.floor(this.limit / 2));
		this.successes = 0;
		this.backoffUntil = Math.max(this.backoffUntil, this.options.clock.now() + retryAfterMs);
	}

	/** A successful call: after `limit` successes in a row, one more conversation may run (up to the maximum). */
	succeeded(): void {
		if (this.limit >= this.options.maxConcurrency) return;
		if (++this.successes >= this.limit * 4) {
			this.successes = 0;
			this.limit++;
			this.wake();
		}
	}

	pause(): void {
		this.paused = true;
	}

	resume(): void {
		if (!this.paused) return;
		this.paused = false;
		const waiting = this.resumeWaiters;
		this.resumeWaiters = [];
		for (const w of waiting) w();
		this.wake();
	}

	private wake(): void {
		// Woken waiters re-check the limit themselves (another may have taken the slot first).
		const free = this.limit - this.active;
		for (let i = 0; i < free && this.waiters.length > 0; i++) this.waiters.shift()!();
	}

	private async whileUnpaused(signal?: AbortSignal): Promise<void> {
		while (this.paused) {
			if (signal?.aborted) return;
			await new Promise<void>((resolve) => {
				// The abort listener goes when the wait ends either way (pause/resume cycles must not pile them up).
				const done = () => {
					signal?.removeEventListener('abort', done);
					resolve();
				};
				this.resumeWaiters.push(done);
				signal?.addEventListener('abort', done, {once: true});
			});
		}
	}
}
