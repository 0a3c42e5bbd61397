/**
 * Undo: delete the Tiledesk conversations an import job created, as listed by its report. Each one is read first
 * and deleted only if its attributes say one of this job's runs created it, so a conversation that existed
 * before (completed by the import) or belongs to someone else is never deleted. Deleting needs the owner role.
 */
import type {TiledeskApi} from '../tiledesk/api.js';
import type {Report, ReportRow} from './report.js';
import {asTiledeskError, backoffDelay, DEFAULT_RETRY, realClock, type Clock} from './retry.js';

export type UndoStatus = 'deleted' | 'already-gone' | 'not-ours' | 'failed';

export interface UndoResult {
	sourceId: string;
	requestId: string;
	status: UndoStatus;
	message?: string;
}

/** The report rows a job created (undo candidates). */
export function createdRows(report: Report): ReportRow[] {
	const runs = new Set(report.runs.length > 0 ? report.runs : [report.runId]);
	return report.conversations.filter((c) => c.created || (c.createdBy !== undefined && runs.has(c.createdBy)));
}

export async function undoImport(
	api: TiledeskApi,
	report: Report,
	options: {signal?: AbortSignal; clock?: Clock; onResult?: (r: UndoResult) => void; concurrency?: number} = {},
): Promise<UndoResult[]> {
	const runs = new Set([...report.runs, report.runId]);
	const rows = createdRows(report);
	const clock = options.clock ?? realClock;
	const results: UndoResult[] = [];
	const one = async (row: ReportRow): Promise<UndoResult> => {
		const base = {sourceId: row.sourceId, requestId: row.requestId};
		for (let attempt = 1; ; attempt++) {
			try {
				const request = await api.getRequest(row.requestId, options.signal);
				if (!request) return {...base, status: 'already-gone'};
				const run = request.attributes?.['import_run'];
				if (typeof run !== 'string' || !runs.has(run)) {
					return {...base, status: 'not-ours', message: `not created by this import (import_run ${typeof run === 'string' ? run : 'absent'}); left alone`};
				}
				await api.deleteRequest(row.requestId, options.signal);
				return {...base, status: 'deleted'};
			} catch (error) {
				const e = asTiledeskError(error);
				if (e.kind === 'forbidden' || e.kind === 'bad-credentials' || e.kind === 'aborted') throw e;
				if (e.kind === 'not-found') return {...base, status: 'already-gone'};
				if (!e.retryable || attempt >= DEFAULT_RETRY.attempts) return {...base, status: 'failed', message: e.message};
				await clock.sleep(backoffDelay(attempt, DEFAULT_RETRY, clock.random, e.retryAfterMs), options.signal);
			}
		}
	};
	const queue = [...rows];
	// A worker that meets a stopping error (no access, bad credentials, aborted) stops the others before their next
	// row, and the error is thrown once all of them are done: nothing keeps deleting behind the caller's back.
	let stopped: {error: unknown} | undefined;
	const workers = Array.from({length: Math.max(1, options.concurrency ?? 4)}, async () => {
		for (let row = queue.shift(); row && !stopped; row = queue.shift()) {
			try {
				const result = await one(row);
				results.push(result);
				options.onResult?.(result);
			} catch (error) {
				stopped ??= {error};
			}
		}
	});
	await Promise.all(workers);
	if (stopped) throw stopped.error;
	return results;
}
