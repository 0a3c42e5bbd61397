/**
 * The "Customer Support on Twitter" dataset (`twcs.csv`, formats.md §16): `tweet_id, author_id, inbound,
 * created_at, text, response_tweet_id, in_response_to_tweet_id`, one tweet per row, read by the native CSV machinery.
 *
 * Conversations are rebuilt from reply chains: a tweet belongs to the thread of the tweet it answers
 * (`in_response_to_tweet_id`, or being listed in another tweet's comma-separated `response_tweet_id`), up to a root
 * tweet that answers nothing in the file. A reply whose parent is not in the file (a sample of the dataset) starts
 * its own conversation, counted in one info finding. Messages are in time order (`created_at`, e.g.
 * `Tue Oct 31 22:10:47 +0000 2017`), ties by tweet id. `inbound` True → end-user (anonymised numeric author),
 * False → agent (the brand's handle, named `@handle`). `&amp; &lt; &gt;` are unescaped. Threads need the whole file:
 * tweets are held in memory (about 2.8 M rows for the full 500 MB dataset). Conversation id: `twcs:<root tweet id>`.
 */
import type {DraftConversation, DraftMessage, ReadItem} from '../../model/draft.js';
import {readCsvRows} from '../native/csv.js';
import type {Detection, FormatReader, Probe, ReadOptions} from '../types.js';
import {conversationId, findingItem, info, listed} from './common.js';
import {cellAt, columnIndex, hasColumns, probeHeaders} from './csv-preset.js';

const COLUMNS = ['tweet_id', 'author_id', 'inbound', 'created_at', 'text', 'response_tweet_id', 'in_response_to_tweet_id'] as const;

interface Tweet {
	id: string;
	author: string;
	inbound: boolean | undefined;
	created?: string;
	text: string;
	replyTo?: string;
	responses: string[];
	line: number;
	order: number;
	parent?: string;
}

const unescape = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Numeric tweet ids compared as numbers (they exceed 2^53 in newer data: compare by length, then text). */
const byId = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	const file = path;
	const tweets = new Map<string, Tweet>();
	let col: Partial<Record<(typeof COLUMNS)[number], number>> = {};
	let headers: string[] | undefined;
	let order = 0;
	for await (const item of readCsvRows(path, options, signal)) {
		if (item.kind === 'finding') {
			yield item;
			continue;
		}
		if (item.kind === 'header') {
			headers = item.headers;
			const missing = COLUMNS.filter((c) => columnIndex(item.headers, c) === undefined && c !== 'response_tweet_id');
			if (missing.length > 0) {
				yield findingItem({severity: 'error', code: 'missing-column', message: `Not a twcs file: no column ${missing.join(', ')}. Headers: ${item.headers.join(', ')}.`, location: {file, line: 1}});
				return;
			}
			col = Object.fromEntries(COLUMNS.map((c) => [c, columnIndex(item.headers, c)]));
			continue;
		}
		const location = {file, line: item.line};
		const id = cellAt(item.row, col.tweet_id)?.trim();
		if (!id) {
			yield findingItem({severity: 'error', code: 'missing-conversation-id', message: 'Row has an empty tweet_id; the row is skipped.', location});
			continue;
		}
		if (tweets.has(id)) {
			yield findingItem({severity: 'warning', code: 'invalid-record', message: `tweet_id ${id} appears again (first at line ${tweets.get(id)!.line}); the row is skipped.`, location});
			continue;
		}
		const inbound = cellAt(item.row, col.inbound)?.trim().toLowerCase();
		const tweet: Tweet = {
			id,
			author: cellAt(item.row, col.author_id)?.trim() ?? '',
			inbound: inbound === 'true' ? true : inbound === 'false' ? false : undefined,
			text: unescape(cellAt(item.row, col.text) ?? ''),
			responses: (cellAt(item.row, col.response_tweet_id) ?? '').split(',').map((r) => r.trim().replace(/\.0$/, '')).filter((r) => r !== ''),
			line: item.line,
			order: order++,
		};
		const created = cellAt(item.row, col.created_at)?.trim();
		if (created) tweet.created = created;
		const replyTo = cellAt(item.row, col.in_response_to_tweet_id)?.trim().replace(/\.0$/, '');
		if (replyTo) tweet.replyTo = replyTo;
		tweets.set(id, tweet);
	}
	if (!headers || signal?.aborted) return;

	// Parents: the tweet answered, else the tweet that lists this one among its responses.
	let orphans = 0;
	let firstOrphan: number | undefined;
	for (const t of tweets.values()) {
		if (t.replyTo !== undefined) {
			if (tweets.has(t.replyTo) && t.replyTo !== t.id) t.parent = t.replyTo;
			else {
				orphans++;
				firstOrphan ??= t.line;
			}
		}
	}
	for (const t of tweets.values()) {
		for (const r of t.responses) {
			const child = tweets.get(r);
			if (child && child.parent === undefined && child.replyTo === undefined && child.id !== t.id) child.parent = t.id;
		}
	}
	const rootOf = new Map<string, string>();
	const findRoot = (t: Tweet): string => {
		const path: string[] = [];
		const seen = new Set<string>();
		let current: Tweet = t;
		while (current.parent !== undefined && !seen.has(current.id)) {
			const known = rootOf.get(current.id);
			if (known) break;
			seen.add(current.id);
			path.push(current.id);
			current = tweets.get(current.parent)!;
		}
		const root = rootOf.get(current.id) ?? current.id;
		for (const id of path) rootOf.set(id, root);
		rootOf.set(current.id, root);
		return root;
	};
	const threads = new Map<string, Tweet[]>();
	for (const t of tweets.values()) {
		const root = findRoot(t);
		const list = threads.get(root) ?? [];
		list.push(t);
		threads.set(root, list);
	}
	if (orphans > 0) {
		yield findingItem(info('skipped-record', `${orphans} tweet(s) answer a tweet that is not in the file; each starts its own conversation.`, {file, line: firstOrphan!}));
	}
	const roots = [...threads.keys()].sort((a, b) => tweets.get(a)!.order - tweets.get(b)!.order);
	for (const root of roots) {
		if (signal?.aborted) return;
		const list = threads.get(root)!;
		const time = (t: Tweet): number => (t.created ? Date.parse(t.created) : Number.NaN);
		list.sort((a, b) => {
			const ta = time(a);
			const tb = time(b);
			if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta - tb;
			return byId(a.id, b.id);
		});
		const rootTweet = tweets.get(root)!;
		const id = conversationId('twcs', root);
		const messages: DraftMessage[] = list.map((t) => {
			const role = listed(options.bots, t.author) ? 'bot' : listed(options.agents, t.author) ? 'agent' : t.inbound === true ? 'end-user' : t.inbound === false ? 'agent' : undefined;
			const m: DraftMessage = {location: {file, line: t.line}, sourceId: t.id, senderId: t.author, text: t.text, timestamp: t.created ?? null};
			if (role) m.role = role;
			if (t.inbound === false) m.senderName = `@${t.author}`;
			return m;
		});
		const draft: DraftConversation = {id, messages, location: {file, line: rootTweet.line}};
		const customer = list.find((t) => t.inbound === true);
		if (customer) draft.requester = {id: customer.author};
		const brand = list.find((t) => t.inbound === false);
		if (brand) draft.subject = `Twitter thread with @${brand.author}`;
		yield {kind: 'conversation', draft};
	}
}

function detect(probe: Probe): Detection {
	const headers = probeHeaders(probe);
	if (hasColumns(headers, 'tweet_id', 'author_id', 'inbound')) return {confidence: 0.95, reason: 'CSV header of the Twitter customer-support dataset (twcs)'};
	return {confidence: 0, reason: 'no twcs header'};
}

export const twcsReader: FormatReader = {
	id: 'twcs',
	label: 'Twitter customer support dataset (twcs.csv)',
	extensions: ['csv'],
	detect,
	read,
};
