/**
 * Native JSONL/NDJSON: one message per line carrying a conversation id, or one conversation per line (a line with
 * `messages`). Read in two passes (./row-source.ts); a bad line is reported with its number and skipped.
 *
 * Pass 1 must not JSON.parse every line (pass 2 parses them all again: the whole validation would cost two parses).
 * A line of a conversation already seen is indexed by its id read from the bytes (./jsonl-line.ts,
 * ChunkIds); the first line of each conversation, and any line the fast path is unsure of, is parsed
 * and checked in pass 1, so the conversations' order and locations are exact. The cost: a later line of a known
 * conversation that turns out not to be valid JSON (or to have a field of the wrong type) is found in pass 2, and
 * its finding comes just before that conversation instead of before all conversations.
 */
import {open, stat} from 'node:fs/promises';
import type {Finding} from '../../model/findings.js';
import type {Probe} from '../types.js';
import type {ConversationAssembler} from './group.js';
import {ChunkIds, interpretLine, interpretValue} from './jsonl-line.js';
import {FileChangedError} from './range-reader.js';
import {readRows, RowSource, type RowFormatReader, type ScanEvent} from './row-source.js';

/** Pass 1 reads the file this many bytes at a time; tests make it small to put chunk ends inside lines. */
export const jsonlScan = {chunkSize: 1 << 20};

export const jsonlReader: RowFormatReader = {
	id: 'jsonl',
	label: 'Transcript JSONL / NDJSON (native)',
	extensions: ['jsonl', 'ndjson'],
	detect(probe: Probe) {
		const lines = probe.headText.split('\n').filter((l) => l.trim() !== '');
		// When the probe is cut at 64 KiB its last line may be partial: leave it out.
		const whole = probe.head.length < 64 * 1024;
		const complete = (whole ? lines : lines.slice(0, -1)).slice(0, 20);
		const objects = complete.filter((l) => /^\s*\{.*\}\s*$/.test(l));
		const ext = probe.extension === 'jsonl' || probe.extension === 'ndjson';
		if (objects.length >= 1 && objects.length === complete.length) {
			const keyed = objects.filter((l) => /"(conversationId|conversation_id|messages)"\s*:/.test(l)).length;
			// One line could equally be minified JSON: let the JSON reader win unless the extension says JSONL.
			if (objects.length === 1) return {confidence: ext ? 0.75 : 0.4, reason: 'a single JSON object line'};
			if (keyed === objects.length) return {confidence: 0.75, reason: 'one JSON object per line with conversation ids'};
			return {confidence: ext ? 0.5 : 0.35, reason: 'one JSON object per line'};
		}
		return ext ? {confidence: 0.3, reason: `.${probe.extension} extension`} : {confidence: 0, reason: 'not JSON lines'};
	},
	async openRows(path, options) {
		return new JsonlSource(path, (await stat(path)).size, options);
	},
	async *read(path, options, signal) {
		yield* readRows(await jsonlReader.openRows(path, options), signal);
	},
};

class JsonlSource extends RowSource {
	protected async *scanFile(signal?: AbortSignal): AsyncGenerator<ScanEvent> {
		const file = this.path;
		const index = this.index;
		const handle = await open(this.path, 'r');
		// The file is read in 1 MiB reads, the next one issued before the lines in hand are scanned (the scan then
		// rarely waits for the disk). The partial line at the end of a read is carried into the next chunk.
		const size = this.size;
		const CHUNK = jsonlScan.chunkSize;
		const reads = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
		let nextRead = 0;
		const readAt = async (at: number): Promise<Buffer> => {
			const target = reads[nextRead++ & 1]!;
			const want = Math.min(CHUNK, size - at);
			const {bytesRead} = await handle.read(target, 0, want, at);
			if (bytesRead < want) throw new FileChangedError(file);
			return target.subarray(0, bytesRead);
		};
		let ahead: Promise<Buffer> | undefined;
		try {
			let work = Buffer.allocUnsafe(2 * CHUNK);
			let carry = 0;
			let position = 0;
			let readPosition = 0;
			let lineNo = 0;
			const pending: Finding[] = [];
			const ids = new ChunkIds();
			ahead = readAt(0);
			while (position < size) {
				if (signal?.aborted) return;
				const fresh = await ahead!;
				readPosition += fresh.length;
				const final = readPosition >= size;
				let chunk: Buffer;
				if (carry === 0) {
					chunk = fresh;
				} else {
					// The carried bytes are at the start of `work` already; a line longer than it grows it.
					if (carry + fresh.length > work.length) {
						const grown = Buffer.allocUnsafe(2 * (carry + fresh.length));
						work.copy(grown, 0, 0, carry);
						work = grown;
					}
					fresh.copy(work, carry);
					chunk = work.subarray(0, carry + fresh.length);
				}
				// `fresh`'s buffer is free once copied; the other one is not in use: read ahead into it.
				ahead = final ? undefined : readAt(readPosition);
				const length = chunk.length;
				// One char per byte: offsets in the text are offsets in the chunk.
				const text = chunk.toString('latin1');
				ids.reset(text, chunk);
				let s = 0;
				for (;;) {
					let nl = text.indexOf('\n', s);
					if (nl < 0) {
						if (!final) break;
						if (s >= length) break;
						nl = length; // the last line has no line end
					}
					lineNo++;
					let from = s;
					if (lineNo === 1 && position === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) from = 3;
					const end = Math.min(nl + 1, length);
					const id = ids.idOf(from, nl);
					const known = id === undefined ? undefined : index.lookup(id);
					if (known !== undefined) {
						index.addTo(known, position + from, position + end, lineNo, false);
					} else {
						// Without the line end (CRLF too), as readline gave lines to the seed's reader.
						const line = interpretLine(file, chunk.toString('utf8', from, nl > from && chunk[nl - 1] === 13 ? nl - 1 : nl), lineNo);
						if (line.findings.length > 0) pending.push(...line.findings);
						if (line.kind === 'message') index.add(line.conversationId, position + from, position + end, lineNo, true);
						else if (line.kind === 'conversation') index.add(line.draft.id, position + from, position + end, lineNo, true);
					}
					s = nl + 1;
				}
				const consumed = final ? length : Math.min(s, length);
				carry = length - consumed;
				// What is left (a partial line) moves to the start of `work` (copyWithin when it is there already).
				if (carry > 0) chunk.copy(work, 0, consumed, length);
				position += consumed;
				for (const f of pending) yield {kind: 'finding', finding: f};
				pending.length = 0;
				yield {kind: 'progress', bytes: position};
			}
		} finally {
			await ahead?.catch(() => undefined);
			await handle.close();
		}
	}

	protected addRows(assembler: ConversationAssembler, id: string, text: string, line: number, verified: boolean, late: Finding[]): void {
		let s = 0;
		let lineNo = line;
		while (s < text.length) {
			let nl = text.indexOf('\n', s);
			if (nl < 0) nl = text.length;
			// Most runs are one line: JSON.parse takes it with its line end (whitespace), saving a copy. When the
			// line is not valid JSON it is parsed again without it, for the same message as pass 1 would give.
			let value: unknown;
			let row;
			try {
				value = JSON.parse(s === 0 && nl >= text.length - 1 ? text : text.slice(s, nl));
				row = interpretValue(this.path, value, lineNo);
			} catch {
				row = interpretLine(this.path, text.slice(s, nl > s && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl), lineNo);
			}
			if (!verified && row.findings.length > 0) late.push(...row.findings);
			if (row.kind === 'message') {
				if (row.conversationId !== id) throw new Error(`internal: line ${lineNo} of ${this.path} was indexed under "${id}" but belongs to "${row.conversationId}"`);
				assembler.addMessage(id, row.message, row.location, row.header);
			} else if (row.kind === 'conversation') {
				assembler.addConversation(row.draft);
			}
			s = nl + 1;
			lineNo++;
		}
	}
}
