/**
 * The run report: one row per source conversation linking it to its Tiledesk conversation (request id and
 * dashboard link) with what happened to it. Written as JSON (read back by `undo` and `--retry-failed`) and CSV
 * (for spreadsheets), next to the input file or in a chosen folder. Never contains credentials.
 */
import {readFileSync, writeFileSync, mkdirSync, accessSync, constants} from 'node:fs';
import {basename, dirname, join, resolve} from 'node:path';
import {z} from 'zod';
import {dashboardLink} from './options.js';
import type {ConversationResult, RunTotals, StopReason} from './events.js';

export const REPORT_SCHEMA_VERSION = 1;

const Row = z.object({
	index: z.number(),
	sourceId: z.string(),
	requestId: z.string(),
	link: z.string(),
	status: z.enum(['imported', 'completed', 'unchanged', 'blocked', 'failed', 'cancelled', 'planned']),
	created: z.boolean(),
	/** The run that created the Tiledesk conversation, when one of this job's runs did. */
	createdBy: z.string().optional(),
	messages: z.number(),
	sent: z.number(),
	alreadyPresent: z.number(),
	error: z.object({kind: z.string(), message: z.string()}).optional(),
});
export type ReportRow = z.infer<typeof Row>;

export const ReportSchema = z.object({
	schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
	tool: z.string(),
	runId: z.string(),
	/** Every run of this import job (a crashed run and the run that resumed it). */
	runs: z.array(z.string()),
	file: z.string(),
	format: z.string(),
	source: z.string(),
	baseUrl: z.string(),
	projectId: z.string(),
	projectName: z.string().optional(),
	dashboardUrl: z.string(),
	startedAt: z.string(),
	finishedAt: z.string(),
	stop: z.looseObject({kind: z.string()}),
	totals: z.looseObject({conversations: z.number()}),
	options: z.record(z.string(), z.unknown()),
	conversations: z.array(Row),
});
export type Report = z.infer<typeof ReportSchema>;

export interface ReportInput {
	tool: string;
	runId: string;
	runs: string[];
	file: string;
	format: string;
	source: string;
	baseUrl: string;
	projectId: string;
	projectName?: string;
	dashboardUrl: string;
	startedAt: number;
	finishedAt: number;
	stop: StopReason;
	totals: RunTotals;
	options: Record<string, unknown>;
	results: ConversationResult[];
	createdBy: (requestId: string) => string | undefined;
}

export function buildReport(input: ReportInput): Report {
	const rows = [...input.results].sort((a, b) => a.index - b.index).map((r): ReportRow => {
		const createdBy = input.createdBy(r.requestId);
		return {
			index: r.index,
			sourceId: r.sourceId,
			requestId: r.requestId,
			link: dashboardLink(input.dashboardUrl, input.projectId, r.requestId),
			status: r.status,
			created: r.created,
			...(createdBy ? {createdBy} : {}),
			messages: r.messages,
			sent: r.sent,
			alreadyPresent: r.alreadyPresent,
			...(r.error ? {error: r.error} : {}),
		};
	});
	return {
		schemaVersion: REPORT_SCHEMA_VERSION,
		tool: input.tool,
		runId: input.runId,
		runs: input.runs,
		file: input.file,
		format: input.format,
		source: input.source,
		baseUrl: input.baseUrl,
		projectId: input.projectId,
		...(input.projectName ? {projectName: input.projectName} : {}),
		dashboardUrl: input.dashboardUrl,
		startedAt: new Date(input.startedAt).toISOString(),
		finishedAt: new Date(input.finishedAt).toISOString(),
		stop: input.stop,
		totals: input.totals as unknown as Report['totals'],
		options: input.options,
		conversations: rows,
	};
}

const CSV_COLUMNS = ['index', 'sourceId', 'requestId', 'status', 'created', 'createdBy', 'messages', 'sent', 'alreadyPresent', 'error', 'link'] as const;

function csvCell(value: unknown): string {
	const s = value === undefined ? '' : String(value);
	return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function reportCsv(report: Report): string {
	const lines = [CSV_COLUMNS.join(',')];
	for (const r of report.conversations) {
		lines.push(CSV_COLUMNS.map((c) => csvCell(c === 'error' ? (r.error ? `${r.error.kind}: ${r.error.message}` : '') : r[c])).join(','));
	}
	return `${lines.join('\n')}\n`;
}

/** The folder reports go to: the chosen one, else the input file's folder when writable, else the working folder. */
export function reportFolder(file: string, chosen: string | undefined, cwd: string): string {
	if (chosen) return resolve(cwd, chosen);
	const folder = dirname(resolve(cwd, file));
	try {
		accessSync(folder, constants.W_OK);
		return folder;
	} catch {
		return cwd;
	}
}

/** Writes `<name>.tiledesk-import-<run>.json` and `.csv`; returns their paths. */
export function writeReport(report: Report, folder: string): string[] {
	mkdirSync(folder, {recursive: true});
	const stem = join(folder, `${basename(report.file)}.tiledesk-import-${report.runId}`);
	writeFileSync(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
	writeFileSync(`${stem}.csv`, reportCsv(report));
	return [`${stem}.json`, `${stem}.csv`];
}

export class ReportError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ReportError';
	}
}

export function readReport(path: string): Report {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		throw new ReportError(`${path}: no such report`);
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new ReportError(`${path} is not a JSON report (${(error as Error).message}); pass the .json report, not the .csv`);
	}
	const parsed = ReportSchema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new ReportError(`${path} is not a tiledesk-import report: ${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'}`);
	}
	return parsed.data;
}
