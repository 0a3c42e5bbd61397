/**
 * Imports one conversation exactly once: read first, create only what is missing, and after any failed write
 * read back before writing again (a `multi` call is not atomic: a 500 or a dropped connection can leave part of
 * the batch saved). Finally read everything back and verify it by import key.
 */
import type {Conversation} from '../model/transcript.js';
import type {MessageInput, TiledeskMessage, TiledeskRequest} from '../tiledesk/api.js';
import {TiledeskError} from '../tiledesk/errors.js';
import type {ConversationResult, ImportEvent, Step} from './events.js';
import {keyIndex, requestIdFor} from './ids.js';
import type {Journal} from './journal.js';
import type {Pacer} from './pacer.js';
import {anonymousInput, batches, createRequestInput, messageInput, requesterName, type PayloadContext} from './payload.js';
import {abortError, asTiledeskError, backoffDelay, isFatal, settleDelay, type Clock, type RetryPolicy} from './retry.js';
import type {TiledeskApi} from '../tiledesk/api.js';

export interface RunContext {
	api: TiledeskApi;
	pacer: Pacer;
	clock: Clock;
	retry: RetryPolicy;
	signal: AbortSignal;
	journal: Journal;
	payload: PayloadContext;
	emit(event: ImportEvent): void;
	counters: {apiCalls: number; retries: number};
	/** Graceful cancel requested: stop at the next step boundary. */
	cancelled(): boolean;
	/** Aborted by a graceful cancel too: a back-off wait ends at once instead of holding the stop for up to 30 s. */
	stopping: AbortSignal;
	/** requester source id → guest id, shared by the conversations of one run (one lead per customer). */
	guests: Map<string, Promise<string>>;
	/** What this run's existence checks found for conversations its journal did not know (see `earlyGuest`). */
	checks: {absent: number; present: number};
}

/** Thrown to stop a conversation at a step boundary after a graceful cancel. */
export class Cancelled extends Error {
	constructor() {
		super('cancelled');
		this.name = 'Cancelled';
	}
}

/** A failure that ends the run (credentials, access, quota), not just this conversation. */
export class FatalError extends Error {
	constructor(readonly error: TiledeskError) {
		super(error.message);
		this.name = 'FatalError';
	}
}

const VERIFY_ROUNDS = 3;
/** Reads after a lost write answer, waiting for the server to stop saving (see RetryPolicy.settleMs). */
const SETTLE_READS = 3;

export async function importConversation(ctx: RunContext, conversation: Conversation, index: number): Promise<ConversationResult> {
	const started = ctx.clock.now();
	const requestId = requestIdFor(ctx.payload.projectId, ctx.payload.source, conversation.id);
	const total = conversation.messages.length;
	const result: ConversationResult = {index, sourceId: conversation.id, requestId, status: 'imported', created: false, messages: total, sent: 0, alreadyPresent: 0, durationMs: 0};
	const ev = {index, sourceId: conversation.id};
	const step = (s: Step) => {
		if (ctx.cancelled()) throw new Cancelled();
		ctx.emit({type: 'step', ...ev, step: s});
	};
	const done = (r: ConversationResult): ConversationResult => ({...r, durationMs: ctx.clock.now() - started});

	ctx.emit({type: 'conversation-started', ...ev, requestId, messages: total});
	let early: Promise<string> | undefined;
	try {
		step('checking');
		const dryRun = ctx.payload.options.dryRun;
		const unknown = !ctx.journal.knows(requestId);
		early = !dryRun && unknown ? earlyGuest(ctx, conversation, ev) : undefined;
		const existing = await read(ctx, ev, 'GET request', (signal) => ctx.api.getRequest(requestId, signal));
		if (unknown) ctx.checks[existing ? 'present' : 'absent']++;
		let requesterId: string;
		let present = new Set<number>();
		/** A listing that already shows every message exactly once needs no second read to verify. */
		let verified: TiledeskMessage[] | undefined;
		if (!existing) {
			if (dryRun) return done({...result, status: 'planned', exists: false});
			step('requester');
			requesterId = await (early ?? guestFor(ctx, conversation, ev));
			step('creating');
			result.created = await create(ctx, conversation, requestId, requesterId, ev);
		} else {
			// Created by a run of this job that was killed before it could journal the creation: credit that run, so
			// the report lists the conversation as this job's and `undo` deletes it.
			const run = existing.attributes?.['import_run'];
			if (!dryRun && typeof run === 'string' && !ctx.journal.state.createdBy.has(requestId) && ctx.journal.state.runs.includes(run)) {
				ctx.journal.append({t: 'created', rid: requestId, run});
			}
			requesterId = leadOf(existing) ?? (await guestFor(ctx, conversation, ev));
			const listed = await read(ctx, ev, 'GET messages', (signal) => ctx.api.listMessages(requestId, signal));
			present = keysOf(listed).present;
			verified = listed;
			result.alreadyPresent = [...present].filter((i) => i < total).length;
			if (dryRun) return done({...result, status: 'planned', exists: true});
		}
		const inputs = conversation.messages.map((m, i) => messageInput(m, i, {id: requesterId, name: requesterName(conversation)}, ctx.payload));
		for (let round = 0; ; round++) {
			const missing = inputs.map((_, i) => i).filter((i) => !present.has(i));
			if (missing.length > 0) {
				step('sending');
				await send(ctx, requestId, inputs, missing, present, result, ev);
			}
			step('verifying');
			const listed = missing.length === 0 && verified ? verified : await read(ctx, ev, 'GET messages', (signal) => ctx.api.listMessages(requestId, signal));
			verified = undefined;
			const check = keysOf(listed);
			const duplicated = [...check.duplicated].filter((i) => i < total);
			if (duplicated.length > 0) {
				throw new TiledeskError({
					kind: 'server',
					retryable: false,
					message: `Verification found ${duplicated.length} message(s) stored twice (import keys ${duplicated.slice(0, 5).map((i) => `m${i}`).join(', ')}): another importer working on the same conversation, or a server that saved a batch long after its answer was lost.`,
				});
			}
			const stillMissing = inputs.map((_, i) => i).filter((i) => !check.present.has(i));
			if (stillMissing.length === 0) break;
			if (round + 1 >= VERIFY_ROUNDS) {
				throw new TiledeskError({kind: 'server', retryable: false, message: `Verification: ${stillMissing.length} of ${total} message(s) are missing after ${VERIFY_ROUNDS} attempts.`});
			}
			present = check.present;
		}
		if (ctx.payload.options.close && (existing?.status ?? 0) !== 1000) {
			step('closing');
			await write(ctx, ev, 'PUT close', (signal) => ctx.api.closeRequest(requestId, signal));
		}
		result.status = result.created ? 'imported' : result.sent > 0 ? 'completed' : 'unchanged';
		return done(result);
	} catch (error) {
		if (error instanceof Cancelled || (error instanceof TiledeskError && error.kind === 'aborted')) {
			return done({...result, status: 'cancelled', error: {kind: 'cancelled', message: 'The run was stopped before this conversation was complete; a re-run resumes it.'}});
		}
		if (error instanceof FatalError) throw error;
		const e = asTiledeskError(error);
		if (isFatal(e)) throw new FatalError(e);
		return done({...result, status: 'failed', error: {kind: e.kind, message: e.message}});
	} finally {
		// An early requester this conversation did not use (it existed, or the run stopped) ends with it: no call of
		// a conversation outlives it, so the run's journal still records the guest and its call count is complete.
		await early?.catch(() => {});
	}
}

function leadOf(request: TiledeskRequest): string | undefined {
	const lead = request.lead as {lead_id?: unknown} | undefined;
	return typeof lead?.lead_id === 'string' ? lead.lead_id : undefined;
}

/** Our messages by import key: which are present, and which appear more than once. */
export function keysOf(messages: TiledeskMessage[]): {present: Set<number>; duplicated: Set<number>} {
	const present = new Set<number>();
	const duplicated = new Set<number>();
	for (const m of messages) {
		const i = keyIndex(m.attributes?.['import_key']);
		if (i === undefined) continue;
		if (present.has(i)) duplicated.add(i);
		present.add(i);
	}
	return {present, duplicated};
}

/** One anonymous requester per source requester for the whole run (and across resumed runs, via the journal). */
async function guestFor(ctx: RunContext, conversation: Conversation, ev: {index: number; sourceId: string}): Promise<string> {
	const key = conversation.requester.id;
	const known = ctx.journal.state.guests.get(key);
	if (known) return known;
	let pending = ctx.guests.get(key);
	if (!pending) {
		// Creating a guest twice is harmless (an unused guest), so this write may be retried blindly.
		pending = retrying(ctx, ev, 'POST signinAnonymously', (signal) => ctx.api.signInAnonymously(anonymousInput(conversation, ctx.payload), signal)).then((guest) => {
			ctx.journal.append({t: 'guest', requester: key, guest: guest.id});
			return guest.id;
		});
		ctx.guests.set(key, pending);
		pending.catch(() => ctx.guests.delete(key));
	}
	return pending;
}

/**
 * The requester of a conversation no run of this job has touched, asked for while its existence check runs: one
 * round trip less per conversation, which is most of what a far server costs. Only once this run has found such
 * conversations absent and none present: a first import (the usual case) gains from its second wave on, and a
 * re-run without its journal (another machine, a deleted file), which finds them present, creates no guest it
 * does not use. A guest asked for in vain is harmless (an unused guest, as after a retried sign-in) and may serve
 * the requester's next conversation.
 */
function earlyGuest(ctx: RunContext, conversation: Conversation, ev: {index: number; sourceId: string}): Promise<string> | undefined {
	if (ctx.checks.absent === 0 || ctx.checks.present > 0) return undefined;
	const pending = guestFor(ctx, conversation, ev);
	pending.catch(() => {}); // a failure counts only where the guest is awaited
	return pending;
}

/** Creates the request; after a failure, reads to see whether it was created before trying again. */
async function create(ctx: RunContext, conversation: Conversation, requestId: string, requesterId: string, ev: {index: number; sourceId: string}): Promise<boolean> {
	const body = createRequestInput(conversation, requestId, requesterId, ctx.payload);
	for (let attempt = 1; ; attempt++) {
		try {
			await call(ctx, (signal) => ctx.api.createRequest(body, signal));
			ctx.journal.append({t: 'created', rid: requestId, run: ctx.payload.runId});
			return true;
		} catch (error) {
			const e = asTiledeskError(error);
			if (e.kind === 'aborted' || isFatal(e)) throw e;
			const after = await read(ctx, ev, 'GET request', (signal) => ctx.api.getRequest(requestId, signal));
			if (after) {
				// The create applied (the answer was lost, or a lead-side error came after the save).
				ctx.journal.append({t: 'created', rid: requestId, run: ctx.payload.runId});
				return true;
			}
			if (e.kind === 'create-refused') {
				throw new FatalError(
					new TiledeskError({
						...e.info,
						message: 'Tiledesk refused to create more conversations ("Unable to create request") and none was created: the project\'s monthly conversation quota is used up. Nothing already imported is lost; re-run the same command when the quota renews (or after upgrading the plan) and it resumes here.',
					}),
				);
			}
			if (!e.retryable || attempt >= ctx.retry.attempts) throw e;
			await pause(ctx, ev, 'POST requests', attempt, e);
		}
	}
}

/** Sends the missing messages in batches; after a failed call, reads back and resends only what is still missing. */
async function send(
	ctx: RunContext,
	requestId: string,
	inputs: MessageInput[],
	missing: number[],
	present: Set<number>,
	result: ConversationResult,
	ev: {index: number; sourceId: string},
): Promise<void> {
	const o = ctx.payload.options;
	const groups = batches(inputs, missing, o.order === 'strict' ? 1 : o.batchSize);
	const total = inputs.length;
	const report = () => ctx.emit({type: 'messages-sent', ...ev, sent: present.size, total});
	for (const group of groups) {
		if (ctx.cancelled()) throw new Cancelled();
		let pending = group;
		for (let attempt = 1; pending.length > 0; attempt++) {
			try {
				await call(ctx, (signal) => ctx.api.postMessages(requestId, pending.map((i) => inputs[i]!), signal));
				for (const i of pending) present.add(i);
				result.sent += pending.length;
				pending = [];
			} catch (error) {
				const e = asTiledeskError(error);
				if (e.kind === 'aborted' || isFatal(e) || !e.retryable) throw e;
				if (attempt >= ctx.retry.attempts) throw e;
				await pause(ctx, ev, 'POST messages/multi', attempt, e);
				// Not atomic: part of the batch may be saved. Only what the server does not have is sent again.
				let now = keysOf(await read(ctx, ev, 'GET messages', (signal) => ctx.api.listMessages(requestId, signal))).present;
				if (e.kind === 'timeout' || e.kind === 'network') {
					// The answer was lost, not refused: the server may still be saving the batch. Resend only once two reads
					// a settle period apart agree (a read that races the late save would otherwise cause a duplicate).
					for (let k = 0; k < SETTLE_READS; k++) {
						await ctx.clock.sleep(settleDelay(ctx.retry), ctx.signal);
						const again = keysOf(await read(ctx, ev, 'GET messages', (signal) => ctx.api.listMessages(requestId, signal))).present;
						const same = again.size === now.size && [...again].every((i) => now.has(i));
						now = again;
						if (same) break;
					}
				}
				const applied = pending.filter((i) => now.has(i));
				for (const i of applied) present.add(i);
				result.sent += applied.length;
				pending = pending.filter((i) => !now.has(i));
			}
		}
		report();
	}
}

/** One API call through the pacer (pause, rate cap, shared back-off), counted. */
async function call<T>(ctx: RunContext, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
	if (ctx.signal.aborted) throw abortError();
	await ctx.pacer.gate(ctx.signal);
	ctx.counters.apiCalls++;
	try {
		const value = await fn(ctx.signal);
		ctx.pacer.succeeded();
		return value;
	} catch (error) {
		const e = asTiledeskError(error);
		if (e.kind === 'rate-limited') {
			const delay = e.retryAfterMs ?? 1000;
			ctx.pacer.rateLimited(delay);
			ctx.emit({type: 'rate-limited', delayMs: delay, concurrency: ctx.pacer.concurrency});
		}
		throw e;
	}
}

async function pause(ctx: RunContext, ev: {index: number; sourceId: string}, operation: string, attempt: number, e: TiledeskError): Promise<void> {
	const delayMs = backoffDelay(attempt, ctx.retry, ctx.clock.random, e.retryAfterMs);
	ctx.counters.retries++;
	ctx.emit({type: 'retry', ...ev, operation, attempt, delayMs, reason: e.message});
	// Nothing is in flight while backing off, so a graceful stop may end the wait (the next run reads what applied).
	await ctx.clock.sleep(delayMs, ctx.stopping);
}

/** A call that is safe to repeat (a read, or a write whose repetition is harmless): retried on retryable errors. */
async function retrying<T>(ctx: RunContext, ev: {index: number; sourceId: string}, operation: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await call(ctx, fn);
		} catch (error) {
			const e = asTiledeskError(error);
			if (!e.retryable || attempt >= ctx.retry.attempts) throw e;
			await pause(ctx, ev, operation, attempt, e);
		}
	}
}

const read = retrying;
/** Idempotent writes (close): repeating them changes nothing. */
const write = retrying;
