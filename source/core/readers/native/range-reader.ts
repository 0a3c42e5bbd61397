/**
 * Reads byte ranges of a file for conversations read on demand from an offset index. A window (1 MiB by
 * default) serves the ranges of neighbouring conversations with one read; a range far from the window (a row
 * scattered much later in the file) is read on its own so the window stays where most reads happen.
 * Ranges already in the window are served synchronously: one `await` per window, not per row.
 */
import {readSync} from 'node:fs';
import {open, type FileHandle} from 'node:fs/promises';

const SMALL_READ = 64 * 1024;

export class FileChangedError extends Error {
	constructor(path: string) {
		super(`${path} changed while it was being read; run the command again`);
		this.name = 'FileChangedError';
	}
}

export class RangeReader {
	private window = Buffer.alloc(0);
	private windowStart = 0;
	private windowEnd = 0;

	private constructor(
		private readonly handle: FileHandle,
		private readonly path: string,
		private readonly expectedSize: number,
		private readonly windowSize: number,
	) {}

	/** Opens `path`, checking it still has the size it had when it was indexed. */
	static async open(path: string, expectedSize: number, windowSize = 1 << 20): Promise<RangeReader> {
		const handle = await open(path, 'r');
		const reader = new RangeReader(handle, path, expectedSize, windowSize);
		try {
			await reader.checkUnchanged();
		} catch (error) {
			await handle.close();
			throw error;
		}
		return reader;
	}

	async checkUnchanged(): Promise<void> {
		if ((await this.handle.stat()).size !== this.expectedSize) throw new FileChangedError(this.path);
	}

	/** The bytes [start, end) if they are in the window, else undefined (then call `load`). The view is valid until the next load. */
	peek(start: number, end: number): Buffer | undefined {
		if (start >= this.windowStart && end <= this.windowEnd) return this.window.subarray(start - this.windowStart, end - this.windowStart);
		return undefined;
	}

	/**
	 * Reads [start, end). `anchor` (≤ start) is the earliest offset still needed soon (the first row of the
	 * conversation being read): the window is refilled from there when the range fits, else the range is read alone.
	 */
	async load(start: number, end: number, anchor = start): Promise<Buffer> {
		const seen = this.peek(start, end);
		if (seen) return seen;
		if (end - anchor <= this.windowSize) {
			const size = Math.min(this.windowSize, this.expectedSize - anchor);
			if (this.window.length < this.windowSize) this.window = Buffer.allocUnsafe(this.windowSize);
			const {bytesRead} = await this.handle.read(this.window, 0, size, anchor);
			if (bytesRead < end - anchor) throw new FileChangedError(this.path);
			this.windowStart = anchor;
			this.windowEnd = anchor + bytesRead;
			return this.window.subarray(start - anchor, end - anchor);
		}
		const alone = Buffer.allocUnsafe(end - start);
		// A small range alone (a scattered row) is read synchronously: from the page cache that takes microseconds,
		// less than the round trip through libuv's thread pool that an async read costs.
		const bytesRead = end - start <= SMALL_READ ? readSync(this.handle.fd, alone, 0, end - start, start) : (await this.handle.read(alone, 0, end - start, start)).bytesRead;
		if (bytesRead < end - start) throw new FileChangedError(this.path);
		return alone;
	}

	async close(): Promise<void> {
		await this.handle.close();
	}
}
