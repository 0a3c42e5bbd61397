/**
 * The offset index of a row-based transcript (JSONL messages, CSV rows): conversation → the byte ranges of its
 * rows, built in one pass so conversations can be read on demand without holding the file.
 *
 * Rows of one conversation that follow each other in the file form a run (one entry: start, length, first line),
 * so the common layout — contiguous or lightly interleaved conversations — costs a few runs per conversation.
 * Everything lives in growable typed arrays: ~21 bytes per run plus the id string and ~12 bytes per conversation.
 */

function grown<T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(array: T, needed: number): T {
	if (needed <= array.length) return array;
	const next = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2));
	next.set(array);
	return next;
}

/** Runs longer than this are split (the length is a Uint32). */
const MAX_RUN_BYTES = 0xffff_0000;

export class RowIndex {
	/** Conversation ids in first-appearance order. */
	readonly ids: string[] = [];
	private readonly byId = new Map<string, number>();
	private firstRun = new Int32Array(1024);
	private lastRun = new Int32Array(1024);
	private rowCounts = new Uint32Array(1024);

	private runStart = new Float64Array(4096);
	private runLength = new Uint32Array(4096);
	private runLine = new Uint32Array(4096);
	private runNext = new Int32Array(4096);
	/** Bit 0: the rows of the run were fully read and validated while indexing (see ./jsonl.ts). */
	private runFlags = new Uint8Array(4096);
	private runCount = 0;
	private rows = 0;
	/** The run the next row may extend: the last row indexed, unless something else came between. */
	private openRun = -1;

	get conversations(): number {
		return this.ids.length;
	}

	get totalRows(): number {
		return this.rows;
	}

	get runs(): number {
		return this.runCount;
	}

	lookup(id: string): number | undefined {
		return this.byId.get(id);
	}

	/** Indexes a row of conversation `id` at bytes [start, end) starting on `line`; returns the conversation's index. */
	add(id: string, start: number, end: number, line: number, verified = false): number {
		let c = this.byId.get(id);
		if (c === undefined) {
			c = this.ids.length;
			this.ids.push(id);
			this.byId.set(id, c);
			this.firstRun = grown(this.firstRun, c + 1);
			this.lastRun = grown(this.lastRun, c + 1);
			this.rowCounts = grown(this.rowCounts, c + 1);
			this.firstRun[c] = -1;
			this.lastRun[c] = -1;
		}
		return this.addTo(c, start, end, line, verified);
	}

	/** Indexes a row of the conversation at index `c` (from `lookup`). */
	addTo(c: number, start: number, end: number, line: number, verified: boolean): number {
		const flags = verified ? 1 : 0;
		this.rows++;
		this.rowCounts[c]!++;
		const open = this.openRun;
		if (
			open >= 0 &&
			this.lastRun[c] === open &&
			this.runFlags[open] === flags &&
			this.runStart[open]! + this.runLength[open]! === start &&
			end - this.runStart[open]! <= MAX_RUN_BYTES
		) {
			this.runLength[open] = end - this.runStart[open]!;
			return c;
		}
		const r = this.runCount++;
		if (r >= this.runStart.length) {
			this.runStart = grown(this.runStart, r + 1);
			this.runLength = grown(this.runLength, r + 1);
			this.runLine = grown(this.runLine, r + 1);
			this.runNext = grown(this.runNext, r + 1);
			this.runFlags = grown(this.runFlags, r + 1);
		}
		this.runStart[r] = start;
		this.runLength[r] = end - start;
		this.runLine[r] = line;
		this.runNext[r] = -1;
		this.runFlags[r] = flags;
		const last = this.lastRun[c]!;
		if (last < 0) this.firstRun[c] = r;
		else this.runNext[last] = r;
		this.lastRun[c] = r;
		this.openRun = r;
		return c;
	}

	/** Something that is not a row of the open run came next (a broken row, a skipped line): end the run. */
	interrupt(): void {
		this.openRun = -1;
	}

	rowCount(conversation: number): number {
		return this.rowCounts[conversation] ?? 0;
	}

	/** Line of the conversation's first row. */
	firstLine(conversation: number): number {
		return this.runLine[this.firstRun[conversation]!]!;
	}

	/** Byte offset of the conversation's first row. */
	firstStart(conversation: number): number {
		return this.runStart[this.firstRun[conversation]!]!;
	}

	/**
	 * The conversation's runs in file order: `for (let r = firstRunOf(c); r >= 0; r = nextRun(r))`, read with the
	 * accessors below (no object per run: pass 2 walks every run of the file).
	 */
	firstRunOf(conversation: number): number {
		return this.firstRun[conversation] ?? -1;
	}

	nextRun(run: number): number {
		return this.runNext[run]!;
	}

	runStartOf(run: number): number {
		return this.runStart[run]!;
	}

	runEndOf(run: number): number {
		return this.runStart[run]! + this.runLength[run]!;
	}

	runLineOf(run: number): number {
		return this.runLine[run]!;
	}

	/** The rows of the run were fully read and validated while indexing. */
	runVerified(run: number): boolean {
		return this.runFlags[run] === 1;
	}

	/** Approximate bytes held by the index (typed arrays, ids and the id map), for the benchmarks. */
	approximateBytes(): number {
		const arrays = [this.firstRun, this.lastRun, this.rowCounts, this.runStart, this.runLength, this.runLine, this.runNext, this.runFlags];
		let ids = 0;
		for (const id of this.ids) ids += 2 * id.length + 60;
		return arrays.reduce((n, a) => n + a.byteLength, 0) + ids;
	}
}
