/**
 * Pass 1 over a CSV file: record boundaries (byte offsets), start lines, field counts and the conversation id
 * field, read from raw bytes chunk by chunk with the rules of ./csv-records.ts, holding nothing but the current
 * id field. The state survives chunk boundaries, so a huge quoted cell (or a quote never closed) costs no memory.
 * Structural characters are ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte character, so scanning
 * bytes finds exactly the boundaries the text parser finds.
 */
import {unquoteField, type CsvDialect} from './csv-records.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;
/** An id field longer than this is not kept (it cannot be a real id; the row is reported). */
export const MAX_ID_BYTES = 64 * 1024;

export interface ScannedRecord {
	start: number;
	/** After the record delimiter (or the end of the file). */
	end: number;
	line: number;
	fields: number;
	/** The id field's value; undefined when the record has fewer fields, null when longer than MAX_ID_BYTES. */
	id: string | undefined | null;
}

export class CsvScanner {
	line: number;
	private recordStart: number;
	private recordLine: number;
	private field = 0;
	private fieldStart: number;
	private inQuotes = false;
	private quoteLine = 0;
	private idParts: Buffer[] = [];
	private idBytes = 0;
	private id: string | undefined | null;

	constructor(
		private readonly dialect: CsvDialect,
		private readonly idColumn: number,
		start: number,
		line: number,
	) {
		this.recordStart = start;
		this.fieldStart = start;
		this.line = line;
		this.recordLine = line;
	}

	/**
	 * Scans `buf` (file bytes from offset `base`); calls `onRecord` for each complete record. Returns how many bytes
	 * were consumed: the rest (at most two bytes, waiting for the next byte to decide) must be passed again.
	 */
	scan(buf: Buffer, base: number, final: boolean, onRecord: (r: ScannedRecord) => void): number {
		const n = buf.length;
		const d = this.dialect.delimiter;
		let line = this.line;
		let i = 0;
		while (i < n) {
			if (this.inQuotes) {
				for (; i < n; i++) {
					const c = buf[i]!;
					if (c === QUOTE) break;
					if (c === LF) line++;
					else if (c === CR) {
						if (i + 1 < n) {
							if (buf[i + 1] !== LF) line++;
						} else if (final) line++;
						else break;
					}
				}
				if (i >= n) break;
				if (buf[i] === CR) break; // a CR at the end of the chunk: decide with the next byte
				// A quote inside quotes: `""` is an escaped quote; any other quote ends the quoted part.
				if (i + 1 >= n && !final) break;
				if (buf[i + 1] === QUOTE) {
					i += 2;
					continue;
				}
				this.inQuotes = false;
				i++;
				continue;
			}
			const c = buf[i]!;
			if (c === d) {
				this.endField(buf, base, i);
				this.field++;
				this.fieldStart = base + i + 1;
				i++;
				continue;
			}
			if (c === LF || c === CR) {
				if (c === CR && i + 1 >= n && !final) break;
				const rd = this.recordDelimiterAt(buf, i);
				if (rd > 0) {
					const at = base + i;
					if (at === this.recordStart) {
						// An empty line.
						line++;
						i += rd;
						this.recordStart = this.fieldStart = base + i;
						this.recordLine = line;
						continue;
					}
					this.endField(buf, base, i);
					onRecord({start: this.recordStart, end: at + rd, line: this.recordLine, fields: this.field + 1, id: this.id});
					line++;
					i += rd;
					this.startRecord(base + i, line);
					continue;
				}
				if (c === LF || buf[i + 1] !== LF) line++;
				i++;
				continue;
			}
			if (c === QUOTE && base + i === this.fieldStart) {
				this.inQuotes = true;
				this.quoteLine = line;
			}
			i++;
		}
		this.line = line;
		// Keep the part of the id field seen so far: the chunk's buffer is reused.
		if (this.field === this.idColumn && this.fieldStart < base + i) this.keepId(buf.subarray(Math.max(0, this.fieldStart - base), i));
		return i;
	}

	/**
	 * At the end of the file: the last record when it has no line end. Returns the line of an opening quote that was
	 * never closed (nothing more can be read), or undefined.
	 */
	finish(end: number, onRecord: (r: ScannedRecord) => void): number | undefined {
		if (this.inQuotes) return this.quoteLine;
		if (this.recordStart < end) {
			this.endField(Buffer.alloc(0), end, 0);
			onRecord({start: this.recordStart, end, line: this.recordLine, fields: this.field + 1, id: this.id});
		}
		return undefined;
	}

	private startRecord(start: number, line: number): void {
		this.recordStart = start;
		this.fieldStart = start;
		this.recordLine = line;
		this.field = 0;
		this.id = undefined;
	}

	private recordDelimiterAt(buf: Buffer, i: number): number {
		const c = buf[i];
		switch (this.dialect.recordDelimiter) {
			case 'lf':
				return c === LF ? 1 : 0;
			case 'crlf':
				return c === CR && buf[i + 1] === LF ? 2 : 0;
			case 'cr':
				return c === CR ? 1 : 0;
			default:
				if (c === LF) this.dialect.recordDelimiter = 'lf';
				else this.dialect.recordDelimiter = buf[i + 1] === LF ? 'crlf' : 'cr';
				return this.dialect.recordDelimiter === 'crlf' ? 2 : 1;
		}
	}

	/** The field ending at buf[i] (exclusive): keeps it when it is the id column. */
	private endField(buf: Buffer, base: number, i: number): void {
		if (this.field !== this.idColumn) return;
		const from = Math.max(0, this.fieldStart - base);
		if (this.idParts.length === 0) {
			this.id = i - from > MAX_ID_BYTES ? null : unquoteField(buf.toString('utf8', from, i));
			return;
		}
		this.keepId(buf.subarray(from, i));
		this.id = this.idBytes > MAX_ID_BYTES ? null : unquoteField(Buffer.concat(this.idParts).toString('utf8'));
		this.idParts = [];
		this.idBytes = 0;
	}

	private keepId(part: Buffer): void {
		this.idBytes += part.length;
		if (this.idBytes <= MAX_ID_BYTES) this.idParts.push(Buffer.from(part));
	}
}
