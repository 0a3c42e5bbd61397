/**
 * The import engine: plans, then imports conversations with N in flight, paced, resumable through the journal,
 * and emits one typed event stream (./events.ts). It knows nothing of terminals or React: the wizard, the line
 * reporter and the NDJSON reporter all subscribe to the same events.
 */
import {setMaxListeners} from 'node:events';
import type {Finding} from '../model/findings.js';
import type {ConnectionInfo, TiledeskApi} from '../tiledesk/api.js';
import {TiledeskError} from '../tiledesk/errors.js';
import type {LoadedItem} from '../transcript/load.js';
import {Cancelled, FatalError, importConversation, type RunContext} from './conversation.js';
import type {ConversationResult, ConversationStatus, ImportEvent, ImportListener, RunTotals, StopReason} from './events.js';
import {newRunId, requestIdFor} from './ids.js';
import {Journal} from './journal.js';
import {autoConcurrency, type ImportOptions} from './options.js';
import {Pacer} from './pacer.js';
import type {PayloadContext} from './payload.js';
import {makePlan, Selector, selectionOf, type Plan} from './plan.js';
import {buildReport, reportFolder, writeReport, type Report} from './report.js';
import {DEFAULT_RETRY, realClock, type Clock, type RetryPolicy} from './retry.js';

export interface TranscriptSource {
	/** As the user named it (reports use it). */
	file: string;
	format: string;
	/** Streams the normalized conversations; called once for the plan and once for the run. */
	items(signal?: AbortSignal): AsyncIterable<LoadedItem>;
}

export interface EngineConfig {
	api: TiledeskApi;
	connection: ConnectionInfo;
	source: TranscriptSource;
	options: ImportOptions;
	toolVersion: string;
	/** The journal file; undefined keeps it in memory (dry runs, tests). */
	journalPath?: string;
	/** Where reports go (default: next to the input file); `false` writes none. */
	reportDir?: string | false;
	cwd?: string;
	/** Only these conversation ids (from `--retry-failed REPORT`). */
	retryIds?: Set<string>;
	clock?: Clock;
	retry?: RetryPolicy;
	/** Round trip measured while testing the connection, for the time estimate. */
	roundTripMs?: number;
	quota?: {used?: number; limit?: number};
}

export interface RunOutcome {
	runId: string;
	totals: RunTotals;
	stop: StopReason;
	results: ConversationResult[];
	report?: Report;
	reportPaths: string[];
}

const STATUSES: ConversationStatus[] = ['imported', 'completed', 'unchanged', 'blocked', 'failed', 'cancelled', 'planned'];

export class ImportRun {
	readonly runId: string;
	private readonly listeners = new Set<ImportListener>();
	private readonly controller = new AbortController();
	/** Aborted by cancel() and abort(): ends back-off waits (RunContext.stopping). */
	private readonly stopping = new AbortController();
	private readonly clock: Clock;
	private readonly pacer: Pacer;
	private readonly payload: PayloadContext;
	private journal: Journal | undefined;
	private cancelReason: string | undefined;
	/** What stopped the run: a fatal API error, or an internal one. */
	private fatal: {kind: string; message: string} | undefined;

	constructor(private readonly config: EngineConfig) {
		this.clock = config.clock ?? realClock;
		this.runId = newRunId(this.clock.now(), this.clock.random);
		const options = {...config.options, concurrency: config.options.concurrency ?? autoConcurrency(config.roundTripMs)};
		// Every call in flight (up to a few per conversation) listens to the run's signal: well beyond Node's
		// default warning threshold of 10 at 48 conversations in flight.
		setMaxListeners(Math.max(10, options.concurrency * 8), this.controller.signal, this.stopping.signal);
		this.pacer = new Pacer({maxConcurrency: options.concurrency, requestsPerMinute: options.maxRequestsPerMinute, clock: this.clock});
		this.payload = {
			projectId: config.connection.project.id,
			source: config.options.source ?? config.source.format,
			format: config.source.format,
			file: config.source.file,
			runId: this.runId,
			userId: config.connection.user.id,
			toolVersion: config.toolVersion,
			options,
		};
	}

	subscribe(listener: ImportListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	get paused(): boolean {
		return this.pacer.isPaused;
	}

	pause(): void {
		if (this.pacer.isPaused) return;
		this.pacer.pause();
		this.emit({type: 'paused'});
	}

	resume(): void {
		if (!this.pacer.isPaused) return;
		this.pacer.resume();
		this.emit({type: 'resumed'});
	}

	/** Graceful stop: no new conversation starts, in-flight ones stop at their next step; all is journaled. */
	cancel(reason = 'cancelled by the user'): void {
		if (this.cancelReason !== undefined) return;
		this.cancelReason = reason;
		this.emit({type: 'cancelling', reason});
		this.stopping.abort();
		this.pacer.resume();
	}

	/** Immediate stop: in-flight calls are aborted (what the server already saved is found by the next run). */
	abort(): void {
		this.cancel('aborted');
		this.controller.abort();
	}

	/** The plan (a pass over the file; no writes). */
	async plan(): Promise<Plan> {
		const journal = this.openJournal();
		return makePlan({
			items: this.config.source.items(this.controller.signal),
			file: this.config.source.file,
			format: this.config.source.format,
			payload: this.payload,
			journal,
			selection: selectionOf(this.config.options, this.config.retryIds),
			projectName: this.config.connection.project.name,
			...(this.config.quota ? {quota: this.config.quota} : {}),
			roundTripMs: this.config.roundTripMs ?? 100,
			signal: this.controller.signal,
		});
	}

	/** Closes the journal (a run that was only planned, e.g. the wizard's plan step); `start` closes it itself. */
	close(): void {
		this.journal?.close();
		this.journal = undefined;
	}

	/** Runs the import (plan first, emitted as `run-planned`). Never throws for API or data problems: see `stop`. */
	async start(planned?: Plan): Promise<RunOutcome> {
		try {
			return await this.run(planned);
		} finally {
			this.close();
		}
	}

	/** `planned`: a plan this run already made (the confirmation's), so the file is not read once more for it. */
	private async run(planned: Plan | undefined): Promise<RunOutcome> {
		const started = this.clock.now();
		const plan = planned ?? (await this.plan());
		this.emit({type: 'run-planned', plan});
		const journal = this.openJournal();
		if (journal.state.damaged > 0) {
			this.emit({type: 'warning', message: `The journal had ${journal.state.damaged} unreadable line(s) (a run killed mid-write); the conversations they described are read back from Tiledesk instead.`});
		}
		const dryRun = this.config.options.dryRun;
		journal.append({t: 'run', run: this.runId, at: started, file: this.config.source.file, projectId: this.payload.projectId, ...(dryRun ? {dryRun} : {})});
		const counters = {apiCalls: 0, retries: 0};
		const ctx: RunContext = {
			api: this.config.api,
			pacer: this.pacer,
			clock: this.clock,
			retry: this.config.retry ?? DEFAULT_RETRY,
			signal: this.controller.signal,
			journal,
			payload: this.payload,
			emit: (e) => this.emit(e),
			counters,
			cancelled: () => this.cancelReason !== undefined,
			stopping: this.stopping.signal,
			guests: new Map(),
			checks: {absent: 0, present: 0},
		};
		this.emit({type: 'run-started', runId: this.runId, dryRun, resumed: plan.alreadyDone});

		const results: ConversationResult[] = [];
		const inFlight = new Set<Promise<void>>();
		const selector = new Selector(selectionOf(this.config.options, this.config.retryIds));
		let index = -1;
		const notAttempted = (c: {id: string; messages: unknown[]}, i: number, why: string): ConversationResult => ({
			index: i,
			sourceId: c.id,
			requestId: requestIdFor(this.payload.projectId, this.payload.source, c.id),
			status: 'cancelled',
			created: false,
			messages: c.messages.length,
			sent: 0,
			alreadyPresent: 0,
			error: {kind: 'not-attempted', message: why},
			durationMs: 0,
		});
		try {
			for await (const item of this.config.source.items(this.controller.signal)) {
				if (!item.conversation) continue;
				index++;
				const decision = selector.decide(item);
				if (decision === 'stop') break;
				if (decision === 'skip') continue;
				const conversation = item.conversation;
				const i = index;
				if (this.controller.signal.aborted) break;
				if (this.cancelReason !== undefined) {
					results.push(notAttempted(conversation, i, `Not attempted: the run stopped (${this.stopText()}).`));
					continue;
				}
				const requestId = requestIdFor(this.payload.projectId, this.payload.source, conversation.id);
				if (decision === 'blocked') {
					const result = blocked(i, conversation.id, requestId, conversation.messages.length, item.findings);
					results.push(result);
					this.emit({type: 'conversation-finished', result});
					continue;
				}
				if (journal.isDone(requestId, conversation.messages.length) && !this.config.options.recheck && !dryRun) {
					const result: ConversationResult = {index: i, sourceId: conversation.id, requestId, status: 'unchanged', created: false, messages: conversation.messages.length, sent: 0, alreadyPresent: conversation.messages.length, durationMs: 0};
					results.push(result);
					this.emit({type: 'conversation-finished', result});
					continue;
				}
				await this.pacer.acquire(this.controller.signal);
				if (this.cancelReason !== undefined) {
					this.pacer.release();
					results.push(notAttempted(conversation, i, `Not attempted: the run stopped (${this.stopText()}).`));
					continue;
				}
				let recorded = false;
				const task = importConversation(ctx, conversation, i)
					.then((result) => {
						results.push(result);
						recorded = true;
						if (result.status !== 'planned') journal.append({t: 'done', rid: requestId, run: this.runId, result});
						this.emit({type: 'conversation-finished', result});
					})
					.catch((error: unknown) => {
						// A fatal API error stops the run; anything else (a bug, the journal's disk failing) too, as an internal
						// error: never an unhandled rejection, and the report is still written.
						const stop = error instanceof FatalError ? error.error : internalError(error);
						this.fatal ??= stop;
						this.cancel(stop.message);
						if (recorded) return; // its result is in; what failed came after it
						const result: ConversationResult = {...notAttempted(conversation, i, stop.message), error: {kind: stop.kind, message: stop.message}};
						results.push(result);
						try {
							this.emit({type: 'conversation-finished', result});
						} catch {
							// a listener that throws already stopped the run
						}
					})
					.finally(() => {
						this.pacer.release();
						inFlight.delete(task);
					});
				inFlight.add(task);
			}
		} catch (error) {
			if (!(error instanceof Cancelled) && !(error instanceof TiledeskError && error.kind === 'aborted')) throw error;
		} finally {
			await Promise.allSettled([...inFlight]);
		}

		results.sort((a, b) => a.index - b.index);
		const stop: StopReason = this.fatal
			? {kind: 'fatal', error: {kind: this.fatal.kind, message: this.fatal.message}}
			: this.cancelReason !== undefined
				? {kind: 'cancelled'}
				: {kind: 'completed'};
		const finished = this.clock.now();
		const totals = totalsOf(results, counters, finished - started);
		journal.append({t: 'end', run: this.runId, at: finished, stop: stop.kind});
		let report: Report | undefined;
		let reportPaths: string[] = [];
		if (!dryRun && this.config.reportDir !== false) {
			report = buildReport({
				tool: this.config.toolVersion,
				runId: this.runId,
				runs: journal.state.runs,
				file: this.config.source.file,
				format: this.config.source.format,
				source: this.payload.source,
				baseUrl: this.config.api.baseUrl,
				projectId: this.payload.projectId,
				projectName: this.config.connection.project.name,
				dashboardUrl: this.config.options.dashboardUrl,
				startedAt: started,
				finishedAt: finished,
				stop,
				totals,
				options: {...this.config.options},
				results,
				createdBy: (rid) => journal.state.createdBy.get(rid),
			});
			reportPaths = writeReport(report, reportFolder(this.config.source.file, this.config.reportDir, this.config.cwd ?? process.cwd()));
		}
		this.close();
		this.emit({type: 'run-finished', runId: this.runId, totals, stop, reports: reportPaths});
		return {runId: this.runId, totals, stop, results, ...(report ? {report} : {}), reportPaths};
	}

	private stopText(): string {
		return this.fatal ? this.fatal.message : (this.cancelReason ?? 'cancelled');
	}

	private openJournal(): Journal {
		if (!this.journal) {
			this.journal = this.config.journalPath && !this.config.options.dryRun ? Journal.open(this.config.journalPath) : Journal.memory();
		}
		return this.journal;
	}

	private emit(event: ImportEvent): void {
		for (const listener of this.listeners) listener(event);
	}
}

function internalError(error: unknown): {kind: 'internal'; message: string} {
	const e = error as Error | undefined;
	return {kind: 'internal', message: `Internal error: ${e?.message ?? String(error)}. What was sent is kept; re-run the same command to resume.`};
}

function blocked(index: number, sourceId: string, requestId: string, messages: number, findings: Finding[]): ConversationResult {
	const errors = findings.filter((f) => f.severity === 'error');
	const first = errors[0];
	return {
		index,
		sourceId,
		requestId,
		status: 'blocked',
		created: false,
		messages,
		sent: 0,
		alreadyPresent: 0,
		error: {kind: 'transcript', message: `${errors.length} error(s) in the transcript${first ? `, first: ${first.code}: ${first.message}` : ''}`},
		durationMs: 0,
	};
}

export function totalsOf(results: ConversationResult[], counters: {apiCalls: number; retries: number}, durationMs: number): RunTotals {
	const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ConversationStatus, number>;
	let messages = 0;
	let sent = 0;
	let present = 0;
	for (const r of results) {
		byStatus[r.status]++;
		messages += r.messages;
		sent += r.sent;
		present += r.alreadyPresent;
	}
	return {conversations: results.length, messages, byStatus, messagesSent: sent, messagesAlreadyPresent: present, apiCalls: counters.apiCalls, retries: counters.retries, durationMs};
}
