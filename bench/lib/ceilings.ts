/**
 * The ceilings the parse suite compares against: the least work anyone could do to read the same file.
 * - CSV: a bare csv-parse pass (the library the seed used), same dialect options, records counted and dropped.
 * - JSONL: a bare line-by-line JSON.parse pass: 1 MiB reads, lines cut at "\n", each parsed and dropped.
 * - JSON: JSON.parse of the whole file (read into one string), where the string fits in V8.
 */
import {createReadStream} from 'node:fs';
import {open, readFile} from 'node:fs/promises';
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

/**
 * Not the ceiling, a reference: the same JSON.parse per line, each line decoded on its own from the bytes
 * (Buffer#indexOf, toString per line) instead of decoding 1 MiB at once and slicing. Measured much faster here:
 * most lines are Latin-1 and become one-byte strings, where a 1 MiB chunk with one emoji becomes a two-byte string
 * (and so do all its slices). Our pass 2 decodes each run of rows on its own, so it gets the same advantage.
 */
export async function bareJsonLinesEachDecoded(path: string): Promise<number> {
	const handle = await open(path, 'r');
	try {
		const size = (await handle.stat()).size;
		let buffer = Buffer.allocUnsafe(1 << 20);
		let lines = 0;
		let position = 0;
		while (position < size) {
			const {bytesRead} = await handle.read(buffer, 0, Math.min(buffer.length, size - position), position);
			const last = position + bytesRead >= size;
			let start = 0;
			for (let nl = buffer.indexOf(10, 0); nl >= 0 && nl < bytesRead; nl = buffer.indexOf(10, start)) {
				if (nl > start) {
					JSON.parse(buffer.toString('utf8', start, nl));
					lines++;
				}
				start = nl + 1;
			}
			if (last) {
				if (start < bytesRead && buffer.toString('utf8', start, bytesRead).trim() !== '') {
					JSON.parse(buffer.toString('utf8', start, bytesRead));
					lines++;
				}
				break;
			}
			if (start === 0) buffer = Buffer.allocUnsafe(buffer.length * 2); // a line longer than the buffer
			position += start;
		}
		return lines;
	} finally {
		await handle.close();
	}
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
