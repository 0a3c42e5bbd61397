/**
 * The fuzzing oracle: reads one file through `openTranscript` (detect + read + normalize; with a forced format and
 * with detection) and through the `preview` command in-process, and lists every broken promise: an exception
 * other than a human InputError/UsageError, a stack trace in a message, an error finding without a location (the
 * file; the line for line-based formats), a preview exit code other than 0/1/2, or no answer within the deadline.
 */
import {basename} from 'node:path';
import {Writable} from 'node:stream';
import {run as preview} from '../../source/commands/preview.js';
import type {Finding} from '../../source/core/model/findings.js';
import {InputError} from '../../source/core/readers/detect.js';
import {openTranscript} from '../../source/core/transcript/load.js';

/** Formats whose records sit on lines: their error findings must name the line. */
export const LINE_FORMATS = new Set(['jsonl', 'csv', 'whatsapp', 'tidio', 'twcs', 'gorgias']);
/** Findings about the file as a whole, which have no line of their own. */
const FILE_LEVEL = new Set(['unreadable-file', 'unknown-format', 'unsupported-format', 'encoding', 'missing-column']);

const STACK = /\n\s+at .+\(?.*:\d+:\d+\)?/;

export interface CheckResult {
	problems: string[];
	/** What reading produced, for statistics: with the format forced (or detected when none is given)… */
	outcome: 'input-error' | 'read';
	/** …and with detection, when a format was forced (a mutated file is often no longer recognised). */
	detected?: 'input-error' | 'read';
	conversations: number;
	findings: number;
}

function collector(): {stream: Writable; text: () => string} {
	let text = '';
	const stream = new Writable({
		write(chunk: Buffer | string, _encoding, callback) {
			text += chunk.toString();
			callback();
		},
	});
	return {stream, text: () => text};
}

function describe(error: unknown): string {
	const e = error as Error;
	return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}\n${(e?.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
}

function checkFinding(f: Finding, path: string, format: string, problems: string[]): void {
	const text = `${f.code} "${f.message}"`;
	if (STACK.test(f.message)) problems.push(`finding ${text} contains a stack trace`);
	if (f.severity !== 'error') return;
	const file = f.location?.file;
	if (!file) return void problems.push(`error finding ${text} has no location`);
	if (!file.includes(basename(path))) problems.push(`error finding ${text} names ${file}, not the file read`);
	if (LINE_FORMATS.has(format) && !FILE_LEVEL.has(f.code) && f.location?.line === undefined) problems.push(`error finding ${text} (${format}) has no line`);
}

/** Detect (or force `format`), read and normalize every conversation; never throws. */
async function readAll(path: string, format: string | undefined, problems: string[]): Promise<Omit<CheckResult, 'problems'>> {
	let transcript;
	try {
		transcript = await openTranscript(path, {timezone: 'UTC', now: Date.UTC(2026, 0, 1), ...(format ? {format} : {})});
	} catch (error) {
		if (error instanceof InputError) {
			if (!error.message.includes(basename(path))) problems.push(`InputError does not name the file: ${error.message}`);
			if (STACK.test(error.message)) problems.push(`InputError contains a stack trace: ${error.message}`);
			return {outcome: 'input-error', conversations: 0, findings: 0};
		}
		problems.push(`openTranscript threw ${describe(error)}`);
		return {outcome: 'input-error', conversations: 0, findings: 0};
	}
	let conversations = 0;
	let findings = 0;
	try {
		for await (const item of transcript.items()) {
			if (item.conversation) conversations++;
			for (const f of item.findings) {
				findings++;
				checkFinding(f, path, transcript.format, problems);
			}
		}
	} catch (error) {
		problems.push(`reading as ${transcript.format} threw ${describe(error)}`);
	}
	return {outcome: 'read', conversations, findings};
}

async function previewCheck(path: string, format: string | undefined, json: boolean, problems: string[]): Promise<void> {
	const out = collector();
	const err = collector();
	let code: number;
	try {
		code = await preview([path, '--timezone', 'UTC', ...(format ? ['--format', format] : []), ...(json ? ['--json'] : [])], {stdout: out.stream, stderr: err.stream, env: {}, cwd: process.cwd()});
	} catch (error) {
		problems.push(`preview${format ? ` --format ${format}` : ''} threw ${describe(error)}`);
		return;
	}
	if (![0, 1, 2].includes(code)) problems.push(`preview exit ${code}`);
	if (code === 2 && !/^error: /.test(err.text())) problems.push(`preview exit 2 without an error line: ${err.text().slice(0, 300)}`);
	if (code === 2 && !err.text().includes(basename(path)) && !err.text().includes('--format')) problems.push(`preview error does not name the file: ${err.text().slice(0, 300)}`);
	if (STACK.test(out.text()) || STACK.test(err.text())) problems.push('preview printed a stack trace');
	if (json && code !== 2) {
		try {
			JSON.parse(out.text());
		} catch {
			problems.push('preview --json printed invalid JSON');
		}
	}
}

/**
 * Every check for one file: forced to `format` and auto-detected, through openTranscript and preview.
 * `deadlineMs` bounds the whole case (a reader that never ends is a failure).
 */
export async function checkFile(path: string, format: string | undefined, options: {deadlineMs?: number; json?: boolean} = {}): Promise<CheckResult> {
	const problems: string[] = [];
	const work = (async () => {
		const forced = await readAll(path, format, problems);
		const detected = format ? (await readAll(path, undefined, problems)).outcome : undefined;
		await previewCheck(path, format, options.json ?? false, problems);
		return {...forced, ...(detected ? {detected} : {})};
	})();
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.deadlineMs ?? 15_000)));
	const result = await Promise.race([work, deadline]).finally(() => clearTimeout(timer));
	if (result === 'timeout') return {problems: [...problems, `no answer within ${options.deadlineMs ?? 15_000} ms (hang)`], outcome: 'read', conversations: 0, findings: 0};
	return {problems, ...result};
}
