/**
 * CSV records from text, with the dialect the seed used through csv-parse (`relax_quotes`, `relax_column_count`,
 * `skip_empty_lines`, BOM removed, record delimiter discovered from the first line end: CRLF, LF or CR):
 * - a field starting with `"` is quoted: `""` is a quote, and it ends at a `"` followed by the delimiter, the
 *   record delimiter or the end; a `"` followed by anything else leaves the field as written, quotes included;
 * - a `"` anywhere else is an ordinary character; empty lines are skipped.
 * Hand-written instead of csv-parse because csv-parse examines every byte through a general state machine
 * (options, look-ahead buffers, per-byte `info` updates) and gives no byte offsets for an index: the same dialect
 * here runs several times faster (bench/), and ./csv-scan.ts finds record boundaries on raw bytes with the same
 * rules. Line numbers count LF and lone CR (csv-parse counts a CRLF inside a quoted field twice).
 */

export type RecordDelimiter = 'lf' | 'crlf' | 'cr';

export interface CsvDialect {
	/** The field delimiter: one character, as a char code (ASCII; see csvDelimiterProblem). */
	delimiter: number;
	/** Discovered from the first line end outside quotes when absent. */
	recordDelimiter?: RecordDelimiter;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Why a delimiter cannot be used, or undefined when it can. */
export function csvDelimiterProblem(delimiter: string): string | undefined {
	if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127) return `the delimiter must be one ASCII character, got "${delimiter}"`;
	if (delimiter === '"' || delimiter === '\n' || delimiter === '\r') return `the delimiter cannot be ${JSON.stringify(delimiter)}`;
	return undefined;
}

/** Length of the record delimiter at `i` (0 if none); discovers the dialect's record delimiter on first use. */
function recordDelimiterAt(text: string, i: number, dialect: CsvDialect): number {
	const c = text.charCodeAt(i);
	if (c !== LF && c !== CR) return 0;
	switch (dialect.recordDelimiter) {
		case 'lf':
			return c === LF ? 1 : 0;
		case 'crlf':
			return c === CR && text.charCodeAt(i + 1) === LF ? 2 : 0;
		case 'cr':
			return c === CR ? 1 : 0;
		default:
			if (c === LF) dialect.recordDelimiter = 'lf';
			else dialect.recordDelimiter = text.charCodeAt(i + 1) === LF ? 'crlf' : 'cr';
			return dialect.recordDelimiter === 'crlf' ? 2 : 1;
	}
}

/** The value of one raw field (as it appears between delimiters), as csv-parse gives it. */
export function unquoteField(raw: string): string {
	if (raw.charCodeAt(0) !== QUOTE) return raw;
	let out = '';
	let segment = 1;
	for (let j = 1; j < raw.length; j++) {
		if (raw.charCodeAt(j) !== QUOTE) continue;
		if (raw.charCodeAt(j + 1) === QUOTE) {
			out += raw.slice(segment, j + 1);
			segment = ++j + 1;
			continue;
		}
		if (j + 1 === raw.length) return out + raw.slice(segment, j);
		// An invalid closing quote: the field keeps its quotes and what follows (relax_quotes).
		return `"${out}${raw.slice(segment)}`;
	}
	return out + raw.slice(segment);
}

export interface ParsedRecords {
	/** Offset after the last complete record (where parsing should resume). */
	next: number;
	/** Line number at `next`. */
	line: number;
	/** Set when the text ends inside a quoted field (only reported when `atEnd`): the line where the quote opened. */
	unclosedQuoteLine?: number;
}

/**
 * Parses records from `text` (from offset `from`, which is on line `line`). A record is complete when its record
 * delimiter is seen, or at the end of the text when `atEnd`. `onRecord` returns false to stop after a record.
 */
export function parseRecords(
	text: string,
	dialect: CsvDialect,
	from: number,
	line: number,
	atEnd: boolean,
	onRecord: (fields: string[], line: number) => boolean | void,
): ParsedRecords {
	const n = text.length;
	const d = dialect.delimiter;
	let i = from;
	// Without `atEnd`, a CR that ends the text may be the first half of a CRLF: wait for more text.
	const crAtEnd = (k: number): boolean => !atEnd && k === n - 1 && text.charCodeAt(k) === CR;
	while (i < n) {
		if (crAtEnd(i)) break;
		const empty = recordDelimiterAt(text, i, dialect);
		if (empty > 0) {
			i += empty;
			line++;
			continue;
		}
		const recordStart = i;
		const recordLine = line;
		const fields: string[] = [];
		let complete = false;
		for (;;) {
			let value: string;
			if (text.charCodeAt(i) === QUOTE) {
				const quoteLine = line;
				let out = '';
				let segment = i + 1;
				let j = i + 1;
				for (;;) {
					if (j >= n) {
						if (!atEnd) return {next: recordStart, line: recordLine};
						return {next: n, line, unclosedQuoteLine: quoteLine};
					}
					const c = text.charCodeAt(j);
					if (c === QUOTE) {
						if (j + 1 >= n && !atEnd) return {next: recordStart, line: recordLine};
						const c2 = text.charCodeAt(j + 1);
						if (c2 === QUOTE) {
							out += text.slice(segment, j + 1);
							j += 2;
							segment = j;
							continue;
						}
						break;
					}
					if (c === LF) line++;
					else if (c === CR && text.charCodeAt(j + 1) !== LF) line++;
					j++;
				}
				// j is at the closing quote.
				const after = j + 1;
				if (crAtEnd(after)) return {next: recordStart, line: recordLine};
				if (after >= n || text.charCodeAt(after) === d || recordDelimiterAt(text, after, dialect) > 0) {
					value = out + text.slice(segment, j);
					i = after;
				} else {
					// relax_quotes: the field continues unquoted, keeping its opening and closing quotes.
					let k = after;
					for (; k < n; k++) {
						const c = text.charCodeAt(k);
						if (c === d) break;
						if (c === LF || c === CR) {
							if (crAtEnd(k)) return {next: recordStart, line: recordLine};
							if (recordDelimiterAt(text, k, dialect) > 0) break;
							if (c === LF || text.charCodeAt(k + 1) !== LF) line++;
						}
					}
					value = `"${out}${text.slice(segment, k)}`;
					i = k;
				}
			} else {
				let k = i;
				for (; k < n; k++) {
					const c = text.charCodeAt(k);
					if (c === d) break;
					if (c === LF || c === CR) {
						if (crAtEnd(k)) return {next: recordStart, line: recordLine};
						if (recordDelimiterAt(text, k, dialect) > 0) break;
						if (c === LF || text.charCodeAt(k + 1) !== LF) line++;
					}
				}
				value = text.slice(i, k);
				i = k;
			}
			fields.push(value);
			if (i >= n) {
				if (!atEnd) return {next: recordStart, line: recordLine};
				complete = true;
				break;
			}
			if (text.charCodeAt(i) === d) {
				i++;
				continue;
			}
			i += recordDelimiterAt(text, i, dialect);
			line++;
			complete = true;
			break;
		}
		if (complete && onRecord(fields, recordLine) === false) return {next: i, line};
	}
	return {next: i, line};
}
