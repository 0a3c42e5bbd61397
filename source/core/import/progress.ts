/**
 * The pure progress reducer: folds engine events into what a screen or a log shows (counts, in-flight
 * conversations and their step, rate, ETA, failures). The TUI and the line reporter use the same reducer, so
 * their numbers always agree.
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

export function progressReducer(state: ProgressState, event: ImportEvent, now: number): ProgressState {
	switch (event.type) {
		case 'run-planned':
			return {...state, plan: event.plan, conversationsTotal: event.plan.conversations + event.plan.blocked, messagesTotal: event.plan.messages};
		case 'run-started':
			return {...state, phase: 'running', runId: event.runId, dryRun: event.dryRun, startedAt: now};
		case 'conversation-started':
			return {
				...state,
				inFlight: [...state.inFlight, {index: event.index, sourceId: event.sourceId, requestId: event.requestId, step: 'checking', sent: 0, total: event.messages, startedAt: now}],
			};
		case 'step':
			return {...state, inFlight: state.inFlight.map((f) => (f.index === event.index ? {...f, step: event.step} : f))};
		case 'messages-sent': {
			let delta = 0;
			const inFlight = state.inFlight.map((f) => {
				if (f.index !== event.index) return f;
				delta = event.sent - f.sent;
				return {...f, sent: event.sent, total: event.total};
			});
			return {...state, inFlight, messagesDone: state.messagesDone + delta};
		}
		case 'retry':
			return {...state, retries: state.retries + 1, lastRetry: {operation: event.operation, reason: event.reason, delayMs: event.delayMs, at: now}};
		case 'rate-limited':
			return {...state, rateLimits: state.rateLimits + 1, concurrency: event.concurrency, lastRateLimit: {delayMs: event.delayMs, at: now}};
		case 'conversation-finished': {
			const r = event.result;
			const flying = state.inFlight.find((f) => f.index === r.index);
			const counted = flying?.sent ?? 0;
			return {
				...state,
				inFlight: flying ? state.inFlight.filter((f) => f.index !== r.index) : state.inFlight,
				conversationsDone: state.conversationsDone + 1,
				// Finished conversations count all their messages; failed or stopped ones keep what was sent.
				messagesDone: state.messagesDone + (COMPLETE.has(r.status) ? r.messages - counted : 0),
				messagesSent: state.messagesSent + r.sent,
				byStatus: {...state.byStatus, [r.status]: state.byStatus[r.status] + 1},
				failures: r.status === 'failed' && state.failures.length < FAILURE_LIMIT ? [...state.failures, r] : state.failures,
			};
		}
		case 'paused':
			return {...state, phase: 'paused'};
		case 'resumed':
			return {...state, phase: state.cancelReason !== undefined ? 'cancelling' : 'running'};
		case 'cancelling':
			return {...state, phase: 'cancelling', cancelReason: event.reason};
		case 'warning':
			return {...state, warnings: [...state.warnings, event.message]};
		case 'run-finished':
			return {...state, phase: 'finished', inFlight: [], totals: event.totals, stop: event.stop, reports: event.reports, finishedAt: now};
	}
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
