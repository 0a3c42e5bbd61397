/**
 * The lines the import screen writes above its live region for finished conversations: outcome symbol and word
 * (never colour alone), id and detail, as plain text with the theme's colours. They are written once and scroll
 * away, so they are not Ink components: a long line is wrapped by the terminal, and the scrollback keeps every
 * failure's whole reason.
 */
import chalk from 'chalk';
import type {ConversationResult} from '../../core/import/events.js';
import {STATUS_LABEL} from '../../reporters/format.js';
import {theme} from '../theme.js';

const STATUS_COLOUR: Record<ConversationResult['status'], string | undefined> = {
	imported: theme.ok,
	completed: theme.ok,
	unchanged: theme.muted,
	planned: theme.muted,
	blocked: theme.warn,
	failed: theme.err,
	cancelled: theme.warn,
};

/**
 * More successes than this in one batch (one frame) are folded into one line per outcome (the first and last ids
 * and the count): one line each is what can be read as it scrolls past, and a fast import (hundreds a second on a
 * near server) then writes a handful of lines per frame instead of hundreds. Failed, blocked, stopped and completed
 * conversations always get their own line with the reason.
 */
export const FOLD_AT = 5;
const FOLDABLE = new Set<ConversationResult['status']>(['imported', 'unchanged', 'planned']);

interface Folded {
	status: ConversationResult['status'];
	count: number;
	first: string;
	last: string;
	messages: number;
}

/** What one batch shows: each notable row, and the plain successes one by one or folded per outcome. */
function chunkLines(rows: readonly ConversationResult[]): (ConversationResult | Folded)[] {
	let plain = 0;
	for (const r of rows) if (FOLDABLE.has(r.status)) plain++;
	if (plain <= FOLD_AT) return [...rows];
	const out: (ConversationResult | Folded)[] = [];
	const folded = new Map<ConversationResult['status'], Folded>();
	for (const r of rows) {
		if (!FOLDABLE.has(r.status)) {
			out.push(r);
			continue;
		}
		const f = folded.get(r.status);
		if (f) {
			f.count++;
			f.last = r.sourceId;
			f.messages += r.messages;
		} else folded.set(r.status, {status: r.status, count: 1, first: r.sourceId, last: r.sourceId, messages: r.messages});
	}
	return [...out, ...folded.values()];
}

/** `text` in one of the theme's colours (a chalk colour name), or as it is when colour is off. */
function paint(colour: string | undefined, text: string): string {
	const style = colour === undefined ? undefined : (chalk as unknown as Record<string, ((s: string) => string) | undefined>)[colour];
	return style ? style(text) : text;
}

function outcome(status: ConversationResult['status']): string {
	const label = STATUS_LABEL[status];
	return paint(STATUS_COLOUR[status], `${label.symbol} ${label.word.padEnd(9)}`);
}

function detail(r: ConversationResult): string {
	if (r.error) return r.error.message;
	if (r.status === 'planned') return r.exists ? `exists, ${r.alreadyPresent}/${r.messages} messages there` : `would be created (${r.messages} messages)`;
	if (r.status === 'completed') return `${r.sent} of ${r.messages} messages were missing, sent`;
	return `${r.messages} messages`;
}

/** The text to write for one batch of finished conversations: one line each (or folded), each ending in a newline. */
export function finishedLines(rows: readonly ConversationResult[]): string {
	let text = '';
	for (const r of chunkLines(rows)) {
		text += 'index' in r ? `${outcome(r.status)} ${r.sourceId} ${paint(theme.muted, detail(r))}\n` : `${outcome(r.status)} ${r.count} conversations ${paint(theme.muted, `${r.first} … ${r.last}, ${r.messages} messages`)}\n`;
	}
	return text;
}
