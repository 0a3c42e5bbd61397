/**
 * Progress of a run: engine events folded into what the import screen shows (counts, in-flight conversations and
 * their step, rate, ETA, failures), in place (`applyProgress`, for the progress store) or as a pure reducer.
 */
import type {ConversationResult, ConversationStatus, ImportEvent, RunTotals, Step, StopReason} from './events.js';
import type {Plan} from './plan.js';

export interface InFlight {
	index: number;
	sourceId: string;
	requestId: string;
	step: Step;
	sent: number;
	total: number;
	startedAt: number;
}

export interface ProgressState {
	phase: 'planning' | 'running' | 'paused' | 'cancelling' | 'finished';
	runId?: string;
	dryRun: boolean;
	plan?: Plan;
	startedAt?: number;
	/** Conversations and messages this run will handle (from the plan). */
	conversationsTotal: number;
	messagesTotal: number;
	conversationsDone: number;
	/** Messages of finished conversations plus messages already in Tiledesk for in-flight ones. */
	messagesDone: number;
	messagesSent: number;
	byStatus: Record<ConversationStatus, number>;
	inFlight: InFlight[];
	failures: ConversationResult[];
	retries: number;
	rateLimits: number;
	concurrency?: number;
	lastRetry?: {operation: string; reason: string; delayMs: number; at: number};
	lastRateLimit?: {delayMs: number; at: number};
	warnings: string[];
	cancelReason?: string;
	totals?: RunTotals;
	stop?: StopReason;
	reports: string[];
	finishedAt?: number;
}

const FAILURE_LIMIT = 100;
const COMPLETE = new Set<ConversationStatus>(['imported', 'completed', 'unchanged', 'planned']);

export function initialProgress(): ProgressState {
	return {
		phase: 'planning',
		dryRun: false,
		conversationsTotal: 0,
		messagesTotal: 0,
		conversationsDone: 0,
		messagesDone: 0,
		messagesSent: 0,
		byStatus: {imported: 0, completed: 0, unchanged: 0, blocked: 0, failed: 0, cancelled: 0, planned: 0},
		inFlight: [],
		failures: [],
		retries: 0,
		rateLimits: 0,
		warnings: [],
		reports: [],
	};
}

/**
 * Folds one event into `state` in place (the hot path of the progress store, which sees every event of a fast
 * import: thousands a second, most of them a step or a count, for a handful of frames; copying the whole state per
 * event was a fifth of the import screen's cost). Only `state` and what it owns are changed; events are not kept
 * beyond the failures list, so a caller that hands `state` out must hand out `copyProgress(state)`.
 */
export function applyProgress(state: ProgressState, event: ImportEvent, now: number): void {
	switch (event.type) {
		case 'run-planned':
			state.plan = event.plan;
			state.conversationsTotal = event.plan.conversations + event.plan.blocked;
			state.messagesTotal = event.plan.messages;
			return;
		case 'run-started':
			state.phase = 'running';
			state.runId = event.runId;
			state.dryRun = event.dryRun;
			state.startedAt = now;
			return;
		case 'conversation-started':
			state.inFlight.push({index: event.index, sourceId: event.sourceId, requestId: event.requestId, step: 'checking', sent: 0, total: event.messages, startedAt: now});
			return;
		case 'step': {
			const f = flying(state, event.index);
			if (f) f.step = event.step;
			return;
		}
		case 'messages-sent': {
			const f = flying(state, event.index);
			if (!f) return;
			state.messagesDone += event.sent - f.sent;
			f.sent = event.sent;
			f.total = event.total;
			return;
		}
		case 'retry':
			state.retries++;
			state.lastRetry = {operation: event.operation, reason: event.reason, delayMs: event.delayMs, at: now};
			return;
		case 'rate-limited':
			state.rateLimits++;
			state.concurrency = event.concurrency;
			state.lastRateLimit = {delayMs: event.delayMs, at: now};
			return;
		case 'conversation-finished': {
			const r = event.result;
			const at = state.inFlight.findIndex((f) => f.index === r.index);
			const counted = at >= 0 ? state.inFlight[at]!.sent : 0;
			if (at >= 0) state.inFlight.splice(at, 1);
			state.conversationsDone++;
			// Finished conversations count all their messages; failed or stopped ones keep what was sent.
			if (COMPLETE.has(r.status)) state.messagesDone += r.messages - counted;
			state.messagesSent += r.sent;
			state.byStatus[r.status]++;
			if (r.status === 'failed' && state.failures.length < FAILURE_LIMIT) state.failures.push(r);
			return;
		}
		case 'paused':
			state.phase = 'paused';
			return;
		case 'resumed':
			state.phase = state.cancelReason !== undefined ? 'cancelling' : 'running';
			return;
		case 'cancelling':
			state.phase = 'cancelling';
			state.cancelReason = event.reason;
			return;
		case 'warning':
			state.warnings.push(event.message);
			return;
		case 'run-finished':
			state.phase = 'finished';
			state.inFlight = [];
			state.totals = event.totals;
			state.stop = event.stop;
			state.reports = event.reports;
			state.finishedAt = now;
			return;
	}
}

function flying(state: ProgressState, index: number): InFlight | undefined {
	for (const f of state.inFlight) if (f.index === index) return f;
	return undefined;
}

/** A copy that shares nothing `applyProgress` changes: what a store hands out while it keeps folding into the original. */
export function copyProgress(state: ProgressState): ProgressState {
	return {
		...state,
		byStatus: {...state.byStatus},
		inFlight: state.inFlight.map((f) => ({...f})),
		failures: [...state.failures],
		warnings: [...state.warnings],
		reports: [...state.reports],
	};
}

/** The pure form: a new state, `state` untouched. */
export function progressReducer(state: ProgressState, event: ImportEvent, now: number): ProgressState {
	const next = copyProgress(state);
	applyProgress(next, event, now);
	return next;
}

/** Messages per second and the remaining time, from what finished so far (undefined until there is a basis). */
export function rateAndEta(state: ProgressState, now: number): {messagesPerSecond?: number; conversationsPerMinute?: number; etaMs?: number} {
	if (state.startedAt === undefined) return {};
	const elapsed = (state.finishedAt ?? now) - state.startedAt;
	if (elapsed < 500 || state.messagesDone === 0) return {};
	const mps = state.messagesDone / (elapsed / 1000);
	const cpm = state.conversationsDone / (elapsed / 60_000);
	const remaining = Math.max(0, state.messagesTotal - state.messagesDone);
	return {messagesPerSecond: mps, conversationsPerMinute: cpm, ...(state.phase !== 'finished' && mps > 0 ? {etaMs: (remaining / mps) * 1000} : {})};
}
