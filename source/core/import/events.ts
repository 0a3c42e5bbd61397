/**
 * The import engine's one typed event stream. The TUI, the line reporter and the NDJSON reporter are all just
 * consumers of it (through the pure progress reducer in ./progress.ts or directly).
 */
import type {Plan} from './plan.js';

export type Step = 'checking' | 'requester' | 'creating' | 'sending' | 'verifying' | 'closing';

/** How one conversation ended. */
export type ConversationStatus =
	| 'imported' // created by this run, every message sent and verified
	| 'completed' // existed (earlier run / crash), the missing messages were sent and verified
	| 'unchanged' // existed with every message already present: nothing sent
	| 'blocked' // the transcript has errors for this conversation: not sent
	| 'failed' // an error stopped this conversation (see error); a re-run resumes it
	| 'cancelled' // the run was cancelled before or while this conversation was imported; a re-run resumes it
	| 'planned'; // dry run: what would happen

export interface ConversationResult {
	index: number;
	sourceId: string;
	requestId: string;
	status: ConversationStatus;
	/** Whether this run created the Tiledesk conversation (undo deletes only those). */
	created: boolean;
	messages: number;
	sent: number;
	alreadyPresent: number;
	/** For dry runs: would be created (absent) or completed (present). */
	exists?: boolean;
	error?: {kind: string; message: string};
	durationMs: number;
}

export interface RunTotals {
	conversations: number;
	messages: number;
	byStatus: Record<ConversationStatus, number>;
	messagesSent: number;
	messagesAlreadyPresent: number;
	apiCalls: number;
	retries: number;
	durationMs: number;
}

export type StopReason =
	| {kind: 'completed'}
	| {kind: 'cancelled'}
	| {kind: 'fatal'; error: {kind: string; message: string}};

export type ImportEvent =
	| {type: 'run-planned'; plan: Plan}
	| {type: 'run-started'; runId: string; dryRun: boolean; resumed: number}
	| {type: 'conversation-started'; index: number; sourceId: string; requestId: string; messages: number}
	| {type: 'step'; index: number; sourceId: string; step: Step}
	| {type: 'messages-sent'; index: number; sourceId: string; sent: number; total: number}
	| {type: 'retry'; index?: number; sourceId?: string; operation: string; attempt: number; delayMs: number; reason: string}
	| {type: 'rate-limited'; delayMs: number; concurrency: number}
	| {type: 'conversation-finished'; result: ConversationResult}
	| {type: 'paused'}
	| {type: 'resumed'}
	| {type: 'cancelling'; reason: string}
	| {type: 'warning'; message: string}
	| {type: 'run-finished'; runId: string; totals: RunTotals; stop: StopReason; reports: string[]};

export type ImportListener = (event: ImportEvent) => void;
