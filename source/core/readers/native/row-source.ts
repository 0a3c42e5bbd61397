/**
 * Row-based transcripts (JSONL, CSV) read in two passes with bounded memory:
 * 1. `scan()` reads the file once, building the offset index (./row-index.ts) and yielding the findings that
 *    belong to no conversation (a broken row, a missing column) as it goes, plus progress;
 * 2. `conversations()` reads each conversation by its offsets, in first-appearance order, or `read(i)` reads one.
 * Memory holds the index and one conversation, never the file. `readRows` adapts this to FormatReader.read.
 */
import type {DraftConversation, ReadItem} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {FormatReader, ReadOptions} from '../types.js';
import {ConversationAssembler} from './group.js';
import {RangeReader, SequentialRangeReader} from './range-reader.js';
import {RowIndex} from './row-index.js';

export type ScanEvent = {kind: 'finding'; finding: Finding} | {kind: 'progress'; bytes: number};

export interface RowConversation {
	/** Index in first-appearance order (the catalog's entry index). */
	index: number;
	draft: DraftConversation;
	/**
	 * Findings not tied to a conversation that only reading the rows revealed (JSONL: a line that looked like a
	 * message of this conversation but is not valid JSON, or a field of the wrong type). Reported before the
	 * conversation; ./jsonl.ts says why they are not found in pass 1.
	 */
	findings: Finding[];
}

export abstract class RowSource {
	readonly index = new RowIndex();
	/** One reader for the sequential pass, one for conversations read in any order (a preview list's clicks). */
	private readonly readers: {sequential?: SequentialRangeReader; random?: RangeReader} = {};
	private scanned = false;

	constructor(
		readonly path: string,
		readonly size: number,
		protected readonly options: ReadOptions,
	) {}

	/** Pass 1: the index, findings without a conversation, progress after each chunk. */
	async *scan(signal?: AbortSignal): AsyncGenerator<ScanEvent> {
		yield* this.scanFile(signal);
		this.scanned = !signal?.aborted;
	}

	get complete(): boolean {
		return this.scanned;
	}

	protected abstract scanFile(signal?: AbortSignal): AsyncGenerator<ScanEvent>;

	/** Adds the rows in `text` — the whole rows of one run, starting on `line` — to the conversation. */
	protected abstract addRows(assembler: ConversationAssembler, id: string, text: string, line: number, verified: boolean, late: Finding[]): void;

	/**
	 * One conversation by its index (after the scan). Reads of one access kind run one after the other: a reader
	 * reuses its buffers, so two at once (a preview opening conversations quickly) would mix their bytes.
	 */
	read(i: number, access: 'sequential' | 'random' = 'random'): Promise<RowConversation | undefined> {
		const next = this.queues[access].then(() => this.readNow(i, access));
		this.queues[access] = next.then(
			() => undefined,
			() => undefined,
		);
		return next;
	}

	private readonly queues: Record<'sequential' | 'random', Promise<void>> = {sequential: Promise.resolve(), random: Promise.resolve()};

	private async readNow(i: number, access: 'sequential' | 'random'): Promise<RowConversation | undefined> {
		if (!this.scanned) throw new Error('RowSource.read before the scan completed');
		const id = this.index.ids[i];
		if (id === undefined) return undefined;
		const reader = access === 'sequential' ? (this.readers.sequential ??= await SequentialRangeReader.open(this.path, this.size)) : (this.readers.random ??= await RangeReader.open(this.path, this.size));
		const assembler = new ConversationAssembler();
		const late: Finding[] = [];
		const anchor = this.index.firstStart(i);
		const index = this.index;
		for (let r = index.firstRunOf(i); r >= 0; r = index.nextRun(r)) {
			const start = index.runStartOf(r);
			const end = index.runEndOf(r);
			const text = reader.peekText(start, end) ?? (await reader.load(start, end, anchor)).toString('utf8');
			this.addRows(assembler, id, text, index.runLineOf(r), index.runVerified(r), late);
		}
		return assembler.draft ? {index: i, draft: assembler.draft, findings: late} : undefined;
	}

	/** Pass 2: every conversation in first-appearance order. */
	async *conversations(signal?: AbortSignal): AsyncGenerator<RowConversation> {
		try {
			for (let i = 0; i < this.index.conversations; i++) {
				if (signal?.aborted) return;
				const c = await this.read(i, 'sequential');
				if (c) yield c;
			}
		} finally {
			await this.readers.sequential?.close();
			delete this.readers.sequential;
		}
	}

	async close(): Promise<void> {
		for (const access of ['sequential', 'random'] as const) {
			await this.readers[access]?.close();
			delete this.readers[access];
		}
	}
}

export interface RowFormatReader extends FormatReader {
	openRows(path: string, options: ReadOptions): Promise<RowSource>;
}

export function isRowReader(reader: FormatReader): reader is RowFormatReader {
	return typeof (reader as Partial<RowFormatReader>).openRows === 'function';
}

/** FormatReader.read for a row source: pass-1 findings as they are found, then the conversations. */
export async function* readRows(source: RowSource, signal?: AbortSignal): AsyncGenerator<ReadItem> {
	try {
		for await (const event of source.scan(signal)) {
			if (event.kind === 'finding') yield {kind: 'finding', finding: event.finding};
		}
		if (signal?.aborted) return;
		for await (const c of source.conversations(signal)) {
			for (const finding of c.findings) yield {kind: 'finding', finding};
			yield {kind: 'conversation', draft: c.draft};
		}
	} finally {
		await source.close();
	}
}
