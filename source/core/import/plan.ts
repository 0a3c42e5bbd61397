/**
 * The plan, computed before anything is written: which conversations will be imported, how many calls, bytes
 * and how long, how much of the monthly conversation quota, and what an earlier run of the same job already did.
 */
import {Normalizer} from '../normalize/index.js';
import type {Conversation} from '../model/transcript.js';
import type {LoadedItem} from '../transcript/load.js';
import {requestIdFor} from './ids.js';
import type {Journal} from './journal.js';
import type {ImportOptions} from './options.js';
import {batches, messageInput, REQUESTER_PLACEHOLDER, requesterName, type PayloadContext} from './payload.js';

export interface Plan {
	file: string;
	format: string;
	source: string;
	projectId: string;
	projectName?: string;
	/** Conversations in the file (before --only/--limit). */
	inFile: number;
	/** Conversations this run will import (after --only/--limit, without blocked ones). */
	conversations: number;
	messages: number;
	/** Conversations left out because the transcript has errors for them. */
	blocked: number;
	/** Already finished by an earlier run of the same job (journal): skipped without a call. */
	alreadyDone: number;
	/** Estimated API calls, JSON bytes sent, and wall time. */
	calls: number;
	bytes: number;
	estimatedMs: number;
	/** New Tiledesk conversations at most (each counts against the monthly quota). */
	newConversationsAtMost: number;
	quota?: {used?: number; limit?: number; remaining?: number};
	/** Ids requested with --only that are not in the file. */
	unknownIds: string[];
	options: ImportOptions;
}

export interface Selection {
	only?: Set<string>;
	limit?: number;
}

/** Decides, conversation by conversation in file order, what a run does with it. Shared by plan and run. */
export class Selector {
	private taken = 0;
	readonly seen = new Set<string>();

	constructor(private readonly selection: Selection) {}

	/** 'take' | 'skip' (not selected) | 'blocked' | 'stop' (the limit is reached). */
	decide(item: LoadedItem): 'take' | 'skip' | 'blocked' | 'stop' {
		if (this.selection.limit !== undefined && this.taken >= this.selection.limit) return 'stop';
		const c = item.conversation;
		if (!c) return 'skip';
		if (this.selection.only && !this.selection.only.has(c.id)) return 'skip';
		this.seen.add(c.id);
		if (Normalizer.isBlocked(item.findings)) return 'blocked';
		this.taken++;
		return 'take';
	}
}

export function selectionOf(options: ImportOptions, retryIds?: Set<string>): Selection {
	const only = options.only?.length ? new Set(options.only) : retryIds;
	return {...(only ? {only} : {}), ...(options.limit !== undefined ? {limit: options.limit} : {})};
}

/** Calls and bytes for one conversation that does not exist yet (GET, requester, create, batches, verify, close). */
export function conversationCost(conversation: Conversation, ctx: PayloadContext): {calls: number; bytes: number} {
	const requester = {id: REQUESTER_PLACEHOLDER, name: requesterName(conversation)};
	const inputs = conversation.messages.map((m, i) => messageInput(m, i, requester, ctx));
	const groups = batches(inputs, inputs.map((_, i) => i), ctx.options.order === 'strict' ? 1 : ctx.options.batchSize);
	let bytes = 0;
	for (const input of inputs) bytes += Buffer.byteLength(JSON.stringify(input)) + 1;
	return {calls: 4 + groups.length + (ctx.options.close ? 1 : 0), bytes: bytes + 1500};
}

export interface PlanInput {
	items: AsyncIterable<LoadedItem>;
	file: string;
	format: string;
	payload: PayloadContext;
	journal: Journal;
	selection: Selection;
	projectName?: string;
	quota?: {used?: number; limit?: number};
	/** Measured round trip of one API call (ms), for the estimate. */
	roundTripMs: number;
	signal?: AbortSignal;
}

export async function makePlan(input: PlanInput): Promise<Plan> {
	const {payload} = input;
	const selector = new Selector(input.selection);
	const plan: Plan = {
		file: input.file,
		format: input.format,
		source: payload.source,
		projectId: payload.projectId,
		...(input.projectName ? {projectName: input.projectName} : {}),
		inFile: 0,
		conversations: 0,
		messages: 0,
		blocked: 0,
		alreadyDone: 0,
		calls: 0,
		bytes: 0,
		estimatedMs: 0,
		newConversationsAtMost: 0,
		unknownIds: [],
		options: payload.options,
	};
	let stopped = false;
	for await (const item of input.items) {
		if (input.signal?.aborted) break;
		if (item.conversation) plan.inFile++;
		const decision = stopped ? 'stop' : selector.decide(item);
		if (decision === 'stop') {
			stopped = true;
			// Past --limit: an --only id found here is in the file (left out by the limit), not unknown.
			if (item.conversation && input.selection.only?.has(item.conversation.id)) selector.seen.add(item.conversation.id);
			continue;
		}
		if (decision === 'blocked') plan.blocked++;
		if (decision !== 'take') continue;
		const c = item.conversation!;
		plan.conversations++;
		plan.messages += c.messages.length;
		if (!payload.options.recheck && input.journal.isDone(requestIdFor(payload.projectId, payload.source, c.id), c.messages.length)) {
			plan.alreadyDone++;
			continue;
		}
		const cost = conversationCost(c, payload);
		plan.calls += cost.calls;
		plan.bytes += cost.bytes;
	}
	if (input.selection.only) plan.unknownIds = [...input.selection.only].filter((id) => !selector.seen.has(id));
	plan.newConversationsAtMost = plan.conversations - plan.alreadyDone;
	if (input.quota) {
		const {used, limit} = input.quota;
		plan.quota = {...(used !== undefined ? {used} : {}), ...(limit !== undefined ? {limit} : {}), ...(used !== undefined && limit !== undefined ? {remaining: Math.max(0, limit - used)} : {})};
	}
	plan.estimatedMs = estimate(plan.calls, payload.options.concurrency ?? 4, input.roundTripMs);
	return plan;
}

/**
 * Wall time for `calls` calls with `concurrency` conversations in flight. Calls of one conversation are
 * sequential; on a near server (round trip under 20 ms) throughput stops growing beyond about 4 in flight
 * (measured on a real local server: its CPU is the limit), so more is not counted there.
 */
export function estimate(calls: number, concurrency: number, roundTripMs: number): number {
	const effective = roundTripMs < 20 ? Math.min(concurrency, 4) : concurrency;
	return Math.round((calls * Math.max(roundTripMs, 5) * 1.5) / effective);
}
