/**
 * Native CSV/TSV: one message per row with a header row. Read in two passes (./row-source.ts): ./csv-scan.ts
 * indexes the rows by conversation, then each conversation's rows are parsed by ./csv-records.ts. A row with the
 * wrong number of fields (e.g. an unquoted comma inside a message) is reported with its start line and skipped,
 * never shifted.
 */
import {createReadStream} from 'node:fs';
import {open, stat} from 'node:fs/promises';
import {StringDecoder} from 'node:string_decoder';
import type {DraftMessage, ReadItem} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {CsvField, Probe} from '../types.js';
import {guessDelimiter, mapColumns} from './csv-mapping.js';
import {csvDelimiterProblem, parseRecords, type CsvDialect} from './csv-records.js';
import {CsvScanner, type ScannedRecord} from './csv-scan.js';
import {finding} from './json.js';
import type {ConversationAssembler} from './group.js';
import {FileChangedError} from './range-reader.js';
import {readRows, RowSource, type RowFormatReader, type ScanEvent} from './row-source.js';

const CHUNK = 1 << 20;
const HEAD = 64 * 1024;

export const csvReader: RowFormatReader = {
	id: 'csv',
	label: 'CSV/TSV, one message per row',
	extensions: ['csv', 'tsv'],
	detect(probe: Probe) {
		const firstLine = probe.headText.split(/\r?\n/, 1)[0] ?? '';
		if (/^\s*[[{]/.test(firstLine)) return {confidence: 0, reason: 'looks like JSON'};
		const delimiter = guessDelimiter(firstLine);
		const headers = firstLine.split(delimiter);
		const {columns} = mapColumns(headers);
		const ext = probe.extension === 'csv' || probe.extension === 'tsv';
		if (columns.text !== undefined && columns.conversationId !== undefined) {
			return {confidence: ext ? 0.7 : 0.55, reason: `header row with ${headers.length} columns incl. conversation id and text`};
		}
		if (ext) return {confidence: 0.4, reason: `.${probe.extension} extension (columns need a --map)`};
		return {confidence: 0, reason: 'no CSV header'};
	},
	async openRows(path, options) {
		return new CsvSource(path, (await stat(path)).size, options);
	},
	async *read(path, options, signal) {
		yield* readRows(await csvReader.openRows(path, options), signal);
	},
};

const BOM = [0xef, 0xbb, 0xbf];

class CsvSource extends RowSource {
	private dialect: CsvDialect = {delimiter: 44};
	private headers: string[] = [];
	private columns: Partial<Record<CsvField, number>> = {};

	protected async *scanFile(signal?: AbortSignal): AsyncGenerator<ScanEvent> {
		const file = this.path;
		const handle = await open(this.path, 'r');
		try {
			// The header row: parsed from the first bytes (more when a quoted header cell runs longer).
			let headSize = Math.min(HEAD, this.size);
			let head: Buffer;
			let bom = 0;
			let parsed: {fields: string[]; line: number; end: number; nextLine: number} | undefined;
			let unclosed: number | undefined;
			let delimiterChar = ',';
			for (;;) {
				head = Buffer.allocUnsafe(headSize);
				const {bytesRead} = await handle.read(head, 0, headSize, 0);
				head = head.subarray(0, bytesRead);
				bom = BOM.every((b, k) => head[k] === b) ? 3 : 0;
				const text = head.toString('utf8', bom);
				const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
				delimiterChar = this.options.delimiter ?? (this.path.toLowerCase().endsWith('.tsv') ? '\t' : guessDelimiter(firstLine));
				const problem = csvDelimiterProblem(delimiterChar);
				if (problem) {
					yield {kind: 'finding', finding: finding(file, 'unparsable', `CSV cannot be parsed: ${problem}.`, {line: 1}).finding};
					return;
				}
				this.dialect = {delimiter: delimiterChar.charCodeAt(0)};
				const atEnd = bytesRead >= this.size;
				const result = parseRecords(text, this.dialect, 0, 1, atEnd, (fields, line) => {
					parsed = {fields, line, end: 0, nextLine: 0};
					return false;
				});
				if (parsed) {
					parsed.end = bom + Buffer.byteLength(text.slice(0, result.next));
					parsed.nextLine = result.line;
					break;
				}
				unclosed = result.unclosedQuoteLine;
				if (atEnd) break;
				headSize = Math.min(this.size, headSize * 4);
			}
			if (!parsed) {
				if (unclosed !== undefined) {
					yield {kind: 'finding', finding: unclosedQuote(file, unclosed)};
					return;
				}
				yield {kind: 'finding', finding: finding(file, 'missing-column', 'The file is empty: expected a header row.', {line: 1}).finding};
				return;
			}
			this.headers = parsed.fields.map((h) => h.trim());
			const mapped = mapColumns(this.headers, this.options.columnMap);
			this.columns = mapped.columns;
			if (mapped.unknownExplicit.length > 0 || this.columns.text === undefined || this.columns.conversationId === undefined) {
				const missing = [
					...mapped.unknownExplicit.map((m) => `"${m}" names no column`),
					...(this.columns.conversationId === undefined ? ['no conversation id column'] : []),
					...(this.columns.text === undefined ? ['no text column'] : []),
				];
				yield {
					kind: 'finding',
					finding: finding(
						file,
						'missing-column',
						`Cannot map the columns: ${missing.join('; ')}. Headers: ${this.headers.join(', ')}. Use --map conversationId=<column>,text=<column>,…`,
						{line: parsed.line},
					).finding,
				};
				return;
			}

			// The rows: indexed by conversation id; rows that cannot be imported are reported and left out.
			const width = this.headers.length;
			const idColumn = this.columns.conversationId;
			const idHeader = this.headers[idColumn]!;
			const delimiterName = delimiterChar === '\t' ? '\\t' : delimiterChar;
			const pending: Finding[] = [];
			const onRecord = (r: ScannedRecord): void => {
				if (r.fields !== width) {
					pending.push(
						finding(file, 'column-count', `Row has ${r.fields} fields but the header has ${width} (an unquoted "${delimiterName}" in a message?); the row is skipped.`, {
							line: r.line,
						}).finding,
					);
					return;
				}
				if (r.id === null) {
					pending.push({severity: 'error', code: 'invalid-record', message: `Row has a "${idHeader}" value longer than 64 KB; the row is skipped.`, location: {file, line: r.line}});
					return;
				}
				if (!r.id) {
					pending.push({severity: 'error', code: 'missing-conversation-id', message: `Row has an empty "${idHeader}" column; the row is skipped.`, location: {file, line: r.line}});
					return;
				}
				this.index.add(r.id, r.start, r.end, r.line);
			};
			const scanner = new CsvScanner(this.dialect, idColumn, parsed.end, parsed.nextLine);
			const buffer = Buffer.allocUnsafe(CHUNK);
			let position = parsed.end;
			while (position < this.size) {
				if (signal?.aborted) return;
				const want = Math.min(CHUNK, this.size - position);
				const {bytesRead} = await handle.read(buffer, 0, want, position);
				if (bytesRead < want) throw new FileChangedError(file);
				const final = position + bytesRead >= this.size;
				const used = scanner.scan(buffer.subarray(0, bytesRead), position, final, onRecord);
				position += used;
				for (const f of pending) yield {kind: 'finding', finding: f};
				pending.length = 0;
				yield {kind: 'progress', bytes: position};
			}
			const quoteLine = scanner.finish(this.size, onRecord);
			for (const f of pending) yield {kind: 'finding', finding: f};
			if (quoteLine !== undefined) yield {kind: 'finding', finding: unclosedQuote(file, quoteLine)};
			yield {kind: 'progress', bytes: this.size};
		} finally {
			await handle.close();
		}
	}

	protected addRows(assembler: ConversationAssembler, id: string, text: string, line: number, _verified: boolean, _late: Finding[]): void {
		const file = this.path;
		const columns = this.columns;
		const width = this.headers.length;
		parseRecords(text, this.dialect, 0, line, true, (row, startLine) => {
			if (row.length !== width) return; // reported in pass 1; never in a run
			const get = (field: CsvField): string | undefined => {
				const i = columns[field];
				const v = i === undefined ? undefined : row[i];
				return v === undefined || v === '' ? undefined : v;
			};
			const location = {file, line: startLine};
			const message: DraftMessage = {location};
			const set = <K extends keyof DraftMessage>(key: K, value: DraftMessage[K] | undefined): void => {
				if (value !== undefined) message[key] = value;
			};
			set('sourceId', get('messageId'));
			set('senderId', get('senderId'));
			set('senderName', get('senderName'));
			set('role', get('role'));
			set('text', get('text'));
			set('timestamp', get('timestamp'));
			const url = get('attachmentUrl');
			if (url) message.attachments = [{url, name: url.split('/').pop() ?? url}];
			const requesterName = get('requesterName');
			const requesterEmail = get('requesterEmail');
			const subject = get('subject');
			assembler.addMessage(id, message, location, {
				...(subject ? {subject} : {}),
				...(requesterName || requesterEmail
					? {requester: {...(requesterName ? {name: requesterName} : {}), ...(requesterEmail ? {email: requesterEmail} : {})}}
					: {}),
			});
		});
	}
}

function unclosedQuote(file: string, line: number): Finding {
	return finding(file, 'unparsable', `CSV cannot be parsed: a quoted field opened at line ${line} is never closed.`, {line}).finding;
}

/** One item of a CSV file: the header row, a data row with the line it starts on, or a finding. */
export type CsvRowItem = {kind: 'header'; headers: string[]} | {kind: 'row'; row: string[]; line: number} | (ReadItem & {kind: 'finding'});

/**
 * Streams a CSV/TSV file's records, header first, with the line each row starts on, in the native dialect
 * (./csv-records.ts). For the CSV presets (vendor-b: Tidio, Gorgias, twcs), which group rows their own way. A row
 * whose field count differs from the header's is reported (`column-count`) and skipped, unless `keepRagged` hands
 * it over as a row (a preset that can repair it); a quote never closed ends the stream (`unparsable`); an empty
 * file gives `missing-column`. Holds one chunk and one unfinished record at a time.
 */
export async function* readCsvRows(path: string, options: {delimiter?: string; keepRagged?: boolean}, signal?: AbortSignal): AsyncGenerator<CsvRowItem> {
	const file = path;
	const decoder = new StringDecoder('utf8');
	let dialect: CsvDialect | undefined;
	let delimiter = ',';
	let headers: string[] | undefined;
	let rest = '';
	let line = 1;
	let first = true;
	const out: CsvRowItem[] = [];
	const onRecord = (row: string[], startLine: number): void => {
		if (!headers) {
			headers = row.map((h) => h.trim());
			out.push({kind: 'header', headers});
			return;
		}
		if (row.length !== headers.length && !options.keepRagged) {
			out.push(
				finding(file, 'column-count', `Row has ${row.length} fields but the header has ${headers.length} (an unquoted "${delimiter === '\t' ? '\\t' : delimiter}" in a message?); the row is skipped.`, {
					line: startLine,
				}),
			);
			return;
		}
		out.push({kind: 'row', row, line: startLine});
	};
	const stream = createReadStream(path, {highWaterMark: CHUNK});
	try {
		for await (const chunk of stream) {
			if (signal?.aborted) return;
			let text = rest + decoder.write(chunk as Buffer);
			if (first) {
				first = false;
				text = text.replace(/^\uFEFF/, '');
				delimiter = options.delimiter ?? (path.toLowerCase().endsWith('.tsv') ? '\t' : guessDelimiter(text.slice(0, HEAD).split(/\r?\n/, 1)[0] ?? ''));
				const problem = csvDelimiterProblem(delimiter);
				if (problem) {
					yield finding(file, 'unparsable', `CSV cannot be parsed: ${problem}.`, {line: 1});
					return;
				}
				dialect = {delimiter: delimiter.charCodeAt(0)};
			}
			const parsed = parseRecords(text, dialect!, 0, line, false, onRecord);
			rest = text.slice(parsed.next);
			line = parsed.line;
			yield* out;
			out.length = 0;
		}
	} finally {
		stream.destroy();
	}
	if (signal?.aborted || !dialect) {
		if (!dialect) yield finding(file, 'missing-column', 'The file is empty: expected a header row.', {line: 1});
		return;
	}
	const parsed = parseRecords(rest + decoder.end(), dialect, 0, line, true, onRecord);
	yield* out;
	if (parsed.unclosedQuoteLine !== undefined) yield {kind: 'finding', finding: unclosedQuote(file, parsed.unclosedQuoteLine)};
	if (!headers) yield finding(file, 'missing-column', 'The file is empty: expected a header row.', {line: 1});
}
