/**
 * Fault injection for the sandbox: latency, 500s, 429 with Retry-After, connection resets and hung responses before
 * a call is applied, and — the hard cases for an importer — resets and hangs AFTER a write was applied, and multi
 * calls that save only the first k messages and then answer 500 like the real server when one insert fails.
 * Rates are drawn from a seeded RNG (mulberry32), so a given seed and call sequence always gives the same faults.
 */
import {z} from 'zod';

const Rate = z.number().min(0).max(1);

export const FaultOptionsSchema = z.strictObject({
	/** Added before every API response. */
	latencyMs: z.number().int().min(0).max(600_000).optional(),
	/** Share of calls answered 500 before anything is applied. */
	errorRate: Rate.optional(),
	/** Share of calls answered 429 with Retry-After before anything is applied. */
	rateLimitRate: Rate.optional(),
	retryAfterSeconds: z.number().min(0).max(86_400).optional(),
	/** Share of calls never answered (nothing applied). */
	hangRate: Rate.optional(),
	/** Share of calls whose connection is reset before anything is applied. */
	resetRate: Rate.optional(),
	/** Share of calls that ARE applied, then their connection is reset (the caller cannot know it applied). */
	resetAfterApplyRate: Rate.optional(),
	/** Share of calls that ARE applied, then never answered. */
	hangAfterApplyRate: Rate.optional(),
	/** Share of multi calls that save only the first k of n items (0 ≤ k < n), then answer 500. */
	partialMultiRate: Rate.optional(),
	/** Only paths matching this regular expression are affected (e.g. "/messages/multi$"). */
	onlyPaths: z
		.string()
		.refine((s) => {
			try {
				new RegExp(s);
				return true;
			} catch {
				return false;
			}
		}, 'not a valid regular expression')
		.optional(),
	/** Only these HTTP methods are affected. */
	onlyMethods: z.array(z.enum(['GET', 'POST', 'PUT', 'DELETE'])).optional(),
	/** Restarts the RNG with this seed. */
	seed: z.number().int().optional(),
});
export type FaultOptions = z.infer<typeof FaultOptionsSchema>;

export type BeforeFault = {kind: 'hang'} | {kind: 'reset'} | {kind: 'respond'; status: number; body: unknown; headers: Record<string, string>};
export type AfterFault = {kind: 'hang'} | {kind: 'reset'};

/** The body the real server sends when one insert of a multi call fails (`routes/message.js:435-438`). */
export const MULTI_FAILED_BODY = {success: false, msg: 'Error inserting multiple messages.', err: {}};

export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class Faults {
	private options: FaultOptions = {};
	private pattern: RegExp | undefined;
	private random: () => number;

	constructor(options: FaultOptions = {}, seed = 1) {
		this.random = mulberry32(seed);
		this.set(options);
	}

	/** Replaces the faults (validated; throws a ZodError on bad input). A `seed` restarts the RNG. */
	set(options: unknown): FaultOptions {
		const parsed = FaultOptionsSchema.parse(options ?? {});
		this.options = parsed;
		this.pattern = parsed.onlyPaths ? new RegExp(parsed.onlyPaths) : undefined;
		if (parsed.seed !== undefined) this.random = mulberry32(parsed.seed);
		return parsed;
	}

	get(): FaultOptions {
		return this.options;
	}

	applies(method: string, path: string): boolean {
		if (this.pattern && !this.pattern.test(path)) return false;
		const methods = this.options.onlyMethods;
		return !methods || (methods as string[]).includes(method);
	}

	get latencyMs(): number {
		return this.options.latencyMs ?? 0;
	}

	private roll(rate: number | undefined): boolean {
		return rate !== undefined && rate > 0 && this.random() < rate;
	}

	/** Drawn before the call is applied. */
	before(): BeforeFault | undefined {
		const o = this.options;
		if (this.roll(o.hangRate)) return {kind: 'hang'};
		if (this.roll(o.resetRate)) return {kind: 'reset'};
		if (this.roll(o.rateLimitRate)) {
			return {kind: 'respond', status: 429, body: {success: false, msg: 'Too many requests'}, headers: {'retry-after': String(o.retryAfterSeconds ?? 1)}};
		}
		if (this.roll(o.errorRate)) return {kind: 'respond', status: 500, body: {success: false, msg: 'Injected server error'}, headers: {}};
		return undefined;
	}

	/** Drawn after the call was applied, before it is answered. */
	after(): AfterFault | undefined {
		if (this.roll(this.options.resetAfterApplyRate)) return {kind: 'reset'};
		if (this.roll(this.options.hangAfterApplyRate)) return {kind: 'hang'};
		return undefined;
	}

	/** For a multi call of n items: how many to save before failing, or undefined to save all. */
	partialMulti(n: number): number | undefined {
		if (n === 0 || !this.roll(this.options.partialMultiRate)) return undefined;
		return Math.floor(this.random() * n);
	}
}
