/** Small helpers shared by the vendor-b readers: ids, findings, participant matching, JSON sniffing for detection. */
import {basename, extname} from 'node:path';
import type {ReadItem} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {SourceLocation} from '../../model/transcript.js';
import type {FormatId} from '../types.js';
import {str} from '../vendor-a/json-file.js';

/** Conversation ids are `<format>:<source id>`: ticket numbers of different helpdesks would otherwise collide. */
export const conversationId = (format: FormatId, sourceId: string): string => `${format}:${sourceId}`;

/** The file name without extension, for records that carry no id of their own. */
export const fileStem = (path: string): string => basename(path, extname(path));

export const findingItem = (finding: Finding): ReadItem => ({kind: 'finding', finding});

export function info(code: Finding['code'], message: string, location: SourceLocation, conversationId?: string): Finding {
	return {severity: 'info', code, message, location, ...(conversationId ? {conversationId} : {})};
}

/** A non-empty trimmed string, or undefined. */
export function text(value: unknown): string | undefined {
	const s = str(value)?.trim();
	return s ? s : undefined;
}

/** Whether a participant (by any of its ids/names) is listed in `--agents` / `--bots` (case-insensitive). */
export function listed(list: string[] | undefined, ...keys: (string | undefined)[]): boolean {
	if (!list || list.length === 0) return false;
	const wanted = new Set(list.map((x) => x.trim().toLowerCase()));
	return keys.some((k) => k !== undefined && wanted.has(k.trim().toLowerCase()));
}

/** "a: 2, b: 1" for a count map, most frequent first. */
export function tally(counts: Map<string, number>): string {
	return [...counts]
		.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
		.map(([k, n]) => `${k}: ${n}`)
		.join(', ');
}

export function bump(counts: Map<string, number>, key: string): void {
	counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** `{epochMs}` for epoch seconds (Intercom); other values (ISO strings) are left to the normalizer. */
export function epochSeconds(value: unknown): {epochMs: number} | string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return {epochMs: Math.round(value * 1000)};
	if (typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value.trim())) return {epochMs: Math.round(Number(value) * 1000)};
	if (typeof value === 'string' && value.trim() !== '') return value;
	return null;
}

/** Whether a probe's text starts like JSON: `[` (array), `{` (object or JSON lines), else undefined. */
export function jsonStart(headText: string): '[' | '{' | undefined {
	const c = headText.trimStart().charAt(0);
	return c === '[' || c === '{' ? c : undefined;
}
