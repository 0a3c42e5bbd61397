/**
 * The ceilings the parse suite compares against: the least work anyone could do to read the same file.
 * - CSV: a bare csv-parse pass (the library the seed used), same dialect options, records counted and dropped.
 * - JSONL: a bare line-by-line JSON.parse pass: 1 MiB reads, lines cut at "\n", each parsed and dropped.
 * - JSON: JSON.parse of the whole file (read into one string), where the string fits in V8.
 */
import {createReadStream} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {parse} from 'csv-parse';

export async function bareCsvParse(path: string): Promise<number> {
	let records = 0;
	const parser = createReadStream(path, {highWaterMark: 1 << 20}).pipe(parse({bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true}));
	for await (const _record of parser) records++;
	return records - 1; // the header row
}

export async function bareJsonLines(path: string): Promise<number> {
	let lines = 0;
	let rest = '';
	for await (const chunk of createReadStream(path, {encoding: 'utf8', highWaterMark: 1 << 20})) {
		const text = rest + (chunk as string);
		let start = 0;
		for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
			if (nl > start) {
				JSON.parse(text.slice(start, nl));
				lines++;
			}
			start = nl + 1;
		}
		rest = text.slice(start);
	}
	if (rest.trim() !== '') {
		JSON.parse(rest);
		lines++;
	}
	return lines;
}

/** Messages in the whole file, or -1 when the file is too large for one V8 string. */
export async function bareJsonParse(path: string): Promise<number> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch {
		return -1;
	}
	const value = JSON.parse(text) as {conversations: {messages: unknown[]}[]};
	return value.conversations.reduce((n, c) => n + c.messages.length, 0);
}
