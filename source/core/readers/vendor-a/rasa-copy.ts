/**
 * Rasa SQLTrackerStore dumps: the `events` table as written by pg_dump, a `COPY public.events (id, sender_id,
 * type_name, "timestamp", intent_name, action_name, data) FROM stdin;` block of tab-separated rows ending with `\.`.
 * Streamed line by line. The PostgreSQL COPY text escapes are decoded here by hand (a dozen lines; no maintained
 * npm package parses pg_dump's COPY text outside a database connection).
 */
import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';
import type {Finding} from '../../model/findings.js';
import type {LocatedEvent} from './rasa-events.js';
import {isRecord} from './json-file.js';

export const COPY_EVENTS = /^COPY\s+(?:"?public"?\.)?"?events"?\s*\(([^)]*)\)\s+FROM\s+stdin;/i;

/** Decodes one field of COPY text format; `\N` is NULL. */
export function decodeCopyField(field: string): string | null {
	if (field === '\\N') return null;
	if (!field.includes('\\')) return field;
	return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, code: string) => {
		if (code[0] === 'x' && code.length > 1) return String.fromCharCode(parseInt(code.slice(1), 16));
		if (/^[0-7]/.test(code)) return String.fromCharCode(parseInt(code, 8));
		return {b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v'}[code] ?? code;
	});
}

export interface CopyRows {
	/** Events grouped by sender_id, senders in order of first appearance; each group in table `id` order. */
	senders: Map<string, LocatedEvent[]>;
	findings: Finding[];
	found: boolean;
}

export async function readCopyDump(path: string, signal?: AbortSignal): Promise<CopyRows> {
	const senders = new Map<string, LocatedEvent[]>();
	const findings: Finding[] = [];
	const ids = new Map<LocatedEvent, number>();
	let columns: string[] | undefined;
	let found = false;
	let lineNo = 0;
	const lines = createInterface({input: createReadStream(path, {encoding: 'utf8'}), crlfDelay: Infinity});
	for await (const line of lines) {
		lineNo++;
		if (signal?.aborted) break;
		if (!columns) {
			const m = COPY_EVENTS.exec(line);
			if (m) {
				columns = m[1]!.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
				found = true;
				for (const needed of ['sender_id', 'data']) {
					if (!columns.includes(needed)) {
						findings.push({severity: 'error', code: 'missing-column', message: `The COPY block of the events table has no "${needed}" column.`, location: {file: path, line: lineNo}});
						columns = undefined;
						break;
					}
				}
			}
			continue;
		}
		if (line === '\\.') {
			columns = undefined;
			continue;
		}
		const fields = line.split('\t');
		const location = {file: path, line: lineNo};
		if (fields.length !== columns.length) {
			findings.push({severity: 'warning', code: 'column-count', message: `Row has ${fields.length} fields, the COPY header names ${columns.length} (${columns.join(', ')}); row skipped.`, location});
			continue;
		}
		const row: Record<string, string | null> = {};
		columns.forEach((c, i) => (row[c] = decodeCopyField(fields[i]!)));
		const sender = row['sender_id'];
		let event: unknown;
		try {
			event = JSON.parse(row['data'] ?? 'null');
		} catch {
			findings.push({severity: 'warning', code: 'unparsable', message: `The "data" column (the event JSON) is not valid JSON; row skipped.`, location});
			continue;
		}
		if (!sender || !isRecord(event)) {
			findings.push({severity: 'warning', code: 'invalid-record', message: `${sender ? 'The "data" column is not an event object' : 'The "sender_id" column is empty'}; row skipped.`, location});
			continue;
		}
		// The columns are authoritative where the JSON lacks them.
		if (event['event'] === undefined && row['type_name']) event['event'] = row['type_name'];
		if (event['timestamp'] === undefined && row['timestamp']) event['timestamp'] = Number(row['timestamp']);
		const located: LocatedEvent = {event, location};
		const id = Number(row['id']);
		if (Number.isFinite(id)) ids.set(located, id);
		const group = senders.get(sender);
		if (group) group.push(located);
		else senders.set(sender, [located]);
	}
	// pg_dump writes rows in physical order; the `id` column is the insertion order (stable sort keeps ties).
	for (const group of senders.values()) group.sort((a, b) => (ids.get(a) ?? 0) - (ids.get(b) ?? 0));
	return {senders, findings, found};
}
