/**
 * Helpers for the CSV presets (Tidio, Gorgias, twcs), which read rows through the native CSV machinery
 * (`readCsvRows` in ../native/csv.ts: delimiter, quoting, start lines, column-count and parse findings) and only add
 * what their export needs: fixed column names, roles, grouping and joins.
 */
import {guessDelimiter} from '../native/csv-mapping.js';
import {readCsvRows} from '../native/csv.js';
import type {Probe} from '../types.js';

const norm = (header: string): string => header.trim().toLowerCase().replace(/[\s_-]+/g, ' ');

/** The header cells of a probe's first line (quotes removed), for detection by signature. */
export function probeHeaders(probe: Probe): string[] {
	const line = probe.headText.split(/\r?\n/, 1)[0] ?? '';
	if (/^\s*[[{]/.test(line)) return [];
	const delimiter = guessDelimiter(line);
	return line.split(delimiter).map((h) => norm(h.replace(/^\s*"|"\s*$/g, '')));
}

/** Whether every wanted column name is among the headers (case, spaces and underscores ignored). */
export function hasColumns(headers: string[], ...names: string[]): boolean {
	const set = new Set(headers.map(norm));
	return names.every((n) => set.has(norm(n)));
}

/** Index of the first header matching one of the names, or undefined. */
export function columnIndex(headers: string[], ...names: string[]): number | undefined {
	const normalized = headers.map(norm);
	for (const n of names) {
		const i = normalized.indexOf(norm(n));
		if (i >= 0) return i;
	}
	return undefined;
}

/** A cell by column index: undefined when the column is absent or the cell is empty. */
export function cellAt(row: string[], index: number | undefined): string | undefined {
	if (index === undefined) return undefined;
	const v = row[index];
	return v === undefined || v.trim() === '' ? undefined : v;
}

/** The header row of a CSV file (through the native reader), or undefined when it has none or cannot be read. */
export async function csvHeaders(path: string): Promise<string[] | undefined> {
	try {
		for await (const item of readCsvRows(path, {})) {
			if (item.kind === 'header') return item.headers;
			if (item.kind === 'finding') return undefined;
		}
	} catch {
		return undefined;
	}
	return undefined;
}
