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

const NOT_LOADED = Symbol('not loaded');

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
	 * One conversation by its index (after the scan), read in any order (a preview list's clicks). Reads run one after
	 * the other: the reader reuses its buffers, so two at once (a preview opening conversations quickly) would mix
	 * their bytes. Pass 2 (`conversations()`) has a reader of its own.
	 */
	read(i: number): Promise<RowConversation | undefined> {
		const next = this.queue.then(async () => {
			if (!this.scanned) throw new Error('RowSource.read before the scan completed');
			return this.readWith(i, (this.readers.random ??= await RangeReader.open(this.path, this.size)));
		});
		this.queue = next.then(
			() => undefined,
			() => undefined,
		);
		return next;
	}

	private queue: Promise<void> = Promise.resolve();

	private async sequentialReader(): Promise<SequentialRangeReader> {
		return (this.readers.sequential ??= await SequentialRangeReader.open(this.path, this.size));
	}

	private async readWith(i: number, reader: RangeReader | SequentialRangeReader): Promise<RowConversation | undefined> {
		const id = this.index.ids[i];
		if (id === undefined) return undefined;
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

	/** readWith without an await, when every run of the conversation is in the reader's chunks; else NOT_LOADED. */
	private readLoaded(i: number, reader: SequentialRangeReader): RowConversation | undefined | typeof NOT_LOADED {
		const index = this.index;
		for (let r = index.firstRunOf(i); r >= 0; r = index.nextRun(r)) if (!reader.holds(index.runStartOf(r), index.runEndOf(r))) return NOT_LOADED;
		const id = index.ids[i]!;
		const assembler = new ConversationAssembler();
		const late: Finding[] = [];
		for (let r = index.firstRunOf(i); r >= 0; r = index.nextRun(r)) {
			this.addRows(assembler, id, reader.peekText(index.runStartOf(r), index.runEndOf(r))!, index.runLineOf(r), index.runVerified(r), late);
		}
		return assembler.draft ? {index: i, draft: assembler.draft, findings: late} : undefined;
	}

	/**
	 * Pass 2: every conversation in first-appearance order. Most conversations lie in chunks already read: those are
	 * assembled without an await (a promise per conversation was ~2 % of a validation, measured).
	 */
	async *conversations(signal?: AbortSignal): AsyncGenerator<RowConversation> {
		if (!this.scanned) throw new Error('RowSource.read before the scan completed');
		try {
			const reader = await this.sequentialReader();
			for (let i = 0; i < this.index.conversations; i++) {
				if (signal?.aborted) return;
				const loaded = this.readLoaded(i, reader);
				const c = loaded === NOT_LOADED ? await this.readWith(i, reader) : loaded;
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
