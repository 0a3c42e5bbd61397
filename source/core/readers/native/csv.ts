/**
 * Native CSV/TSV: one message per row with a header row. Streams with csv-parse; a row with the wrong number of
 * fields (e.g. an unquoted comma inside a message) is reported with its start line and skipped, never shifted.
 */
import {createReadStream} from 'node:fs';
import {parse} from 'csv-parse';
import type {DraftMessage, ReadItem} from '../../model/draft.js';
import type {CsvField, FormatReader, Probe} from '../types.js';
import {guessDelimiter, mapColumns} from './csv-mapping.js';
import {RowGrouper} from './group.js';
import {finding} from './json.js';

export const csvReader: FormatReader = {
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
	async *read(path, options, signal) {
		const file = path;
		let headers: string[] | undefined;
		let columns: Partial<Record<CsvField, number>> = {};
		const grouper = new RowGrouper();
		for await (const item of readCsvRows(path, options, signal)) {
			if (item.kind === 'finding') {
				yield item;
				continue;
			}
			if (item.kind === 'header') {
				headers = item.headers;
				const mapped = mapColumns(headers, options.columnMap);
				columns = mapped.columns;
				if (mapped.unknownExplicit.length > 0 || columns.text === undefined || columns.conversationId === undefined) {
					const missing = [
						...mapped.unknownExplicit.map((m) => `"${m}" names no column`),
						...(columns.conversationId === undefined ? ['no conversation id column'] : []),
						...(columns.text === undefined ? ['no text column'] : []),
					];
					yield finding(
						file,
						'missing-column',
						`Cannot map the columns: ${missing.join('; ')}. Headers: ${headers.join(', ')}. Use --map conversationId=<column>,text=<column>,…`,
						{line: 1},
					);
					return;
				}
				continue;
			}
			const row = item.row;
			const get = (field: CsvField): string | undefined => {
				const i = columns[field];
				const v = i === undefined ? undefined : row[i];
				return v === undefined || v === '' ? undefined : v;
			};
			const location = {file, line: item.line};
			const conversationId = get('conversationId');
			if (!conversationId) {
				yield {
					kind: 'finding',
					finding: {severity: 'error', code: 'missing-conversation-id', message: `Row has an empty "${headers![columns.conversationId!]}" column; the row is skipped.`, location},
				};
				continue;
			}
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
			grouper.add(conversationId, message, location, {
				...(subject ? {subject} : {}),
				...(requesterName || requesterEmail
					? {requester: {...(requesterName ? {name: requesterName} : {}), ...(requesterEmail ? {email: requesterEmail} : {})}}
					: {}),
			});
		}
		if (!headers) return;
		for (const draft of grouper.drain()) yield {kind: 'conversation', draft};
	},
};

/** One item of a CSV file: the header row, a data row with the line it starts on, or a finding. */
export type CsvRowItem = {kind: 'header'; headers: string[]} | {kind: 'row'; row: string[]; line: number} | (ReadItem & {kind: 'finding'});

/**
 * Streams a CSV/TSV file's records, header first, with the line each row starts on. Also used by the CSV presets
 * (vendor-b: Tidio, Gorgias, twcs). A row whose field count differs from the header's is reported
 * (`column-count`) and skipped, unless `keepRagged` hands it over as a row (a preset that can repair it, e.g. Tidio's
 * unquoted comma in the message); a parse error ends the stream (`unparsable`); an empty file gives `missing-column`.
 */
export async function* readCsvRows(path: string, options: {delimiter?: string; keepRagged?: boolean}, signal?: AbortSignal): AsyncGenerator<CsvRowItem> {
	const file = path;
	const probeLine = await firstLine(path);
	const delimiter = options.delimiter ?? (path.toLowerCase().endsWith('.tsv') ? '\t' : guessDelimiter(probeLine));
	const parser = createReadStream(path).pipe(
		parse({
			delimiter,
			bom: true,
			info: true,
			relax_column_count: true,
			relax_quotes: true,
			skip_empty_lines: true,
		}),
	);
	let headers: string[] | undefined;
	let previousEndLine = 1;
	try {
		for await (const record of parser as AsyncIterable<{record: string[]; info: {lines: number}}>) {
			if (signal?.aborted) break;
			// `info.lines` is the line where the record ENDS; a record with quoted newlines started earlier.
			const startLine = headers === undefined ? 1 : previousEndLine + 1;
			const endLine = record.info.lines;
			previousEndLine = endLine;
			const row = record.record;
			if (!headers) {
				headers = row.map((h) => h.trim());
				yield {kind: 'header', headers};
				continue;
			}
			if (row.length !== headers.length && !options.keepRagged) {
				yield finding(
					file,
					'column-count',
					`Row has ${row.length} fields but the header has ${headers.length} (an unquoted "${delimiter === '\t' ? '\\t' : delimiter}" in a message?); the row is skipped.`,
					{line: startLine},
				);
				continue;
			}
			yield {kind: 'row', row, line: startLine};
		}
	} catch (error) {
		const e = error as Error & {lines?: number};
		yield finding(file, 'unparsable', `CSV cannot be parsed: ${e.message.replace(/^Invalid [^:]*: /, '')}`, {line: e.lines ?? previousEndLine + 1});
	}
	if (!headers) yield finding(file, 'missing-column', 'The file is empty: expected a header row.', {line: 1});
}

async function firstLine(path: string): Promise<string> {
	const stream = createReadStream(path, {encoding: 'utf8', end: 64 * 1024});
	let text = '';
	for await (const chunk of stream) {
		text += chunk as string;
		if (text.includes('\n')) break;
	}
	stream.destroy();
	return text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
}
