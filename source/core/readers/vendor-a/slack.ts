/**
 * Slack workspace export (ZIP): `users.json`, `channels.json` (and `groups.json`, `mpims.json`, `dms.json` in
 * exports that have them) and day files `<channel>/<YYYY-MM-DD>.json`. A single day file (`.json`) is read as one
 * channel named after its folder, with `../users.json` when present.
 *
 * Grouping (`options.slackGrouping`): `channel` (default) gives one conversation per channel, id
 * `slack:<channel>`, messages in time order; `thread` gives one per thread, id `slack:<channel>:<thread_ts>`, where
 * a message without replies is a thread of one and join/leave notices outside threads are skipped.
 * Roles: `bot_message`/`bot_id`/`users[].is_bot` → bot; channel notices (`channel_join` …) → system; users named in
 * `options.agents` (id, name or display name) → agent; everyone else → end-user.
 */
import {readFile} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import type {DraftConversation, DraftMessage, ReadItem} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {Attachment, SourceLocation} from '../../model/transcript.js';
import type {Detection, FormatReader, Probe, ReadOptions} from '../types.js';
import {isRecord, parseJsonText, str, unreadable} from './json-file.js';
import {slackTsToMs, unwrapSlackMarkup} from './slack-markup.js';
import {isZipFile, openZip, zipErrorReason, type ZipArchive} from './zip.js';

const DAY_FILE = /^(?:.*\/)?([^/]+)\/(\d{4}-\d{2}-\d{2})\.json$/;
const SYSTEM_SUBTYPES = new Set(['channel_join', 'channel_leave', 'channel_topic', 'channel_purpose', 'channel_name', 'channel_archive', 'channel_unarchive', 'group_join', 'group_leave', 'group_topic', 'group_purpose', 'group_name', 'group_archive', 'group_unarchive', 'pinned_item', 'unpinned_item', 'bot_add', 'bot_remove', 'reminder_add', 'tombstone']);
const LISTS = ['channels.json', 'groups.json', 'mpims.json', 'dms.json'];

interface SlackUser {
	name: string;
	isBot: boolean;
	email?: string;
	aliases: string[];
}

interface Located {
	message: Record<string, unknown>;
	location: SourceLocation;
	ms?: number;
}

/** What the reader needs from the export, whether it is a ZIP or a lone day file. */
interface Export {
	users: Map<string, SlackUser>;
	/** Day files per channel folder, in channel order, days sorted. */
	channels: Map<string, string[]>;
	readDay(name: string): Promise<{ok: true; value: unknown} | {ok: false; finding: Finding}>;
	location(name: string, index: number): SourceLocation;
	close(): void;
}

function usersFrom(value: unknown): Map<string, SlackUser> {
	const users = new Map<string, SlackUser>();
	if (!Array.isArray(value)) return users;
	for (const u of value) {
		if (!isRecord(u)) continue;
		const id = str(u['id']);
		if (!id) continue;
		const profile = isRecord(u['profile']) ? u['profile'] : {};
		const display = str(profile['display_name']) || undefined;
		const real = str(profile['real_name']) || str(u['real_name']) || undefined;
		const handle = str(u['name']) || undefined;
		const user: SlackUser = {name: display ?? real ?? handle ?? id, isBot: u['is_bot'] === true, aliases: [id, display, real, handle].filter((x): x is string => Boolean(x)).map((x) => x.toLowerCase())};
		const email = str(profile['email']);
		if (email) user.email = email;
		users.set(id, user);
	}
	return users;
}

async function openExport(path: string, findings: Finding[]): Promise<Export | Finding> {
	if (!(await isZipFile(path))) {
		// A lone day file: the folder is the channel; users.json next to the folder resolves names.
		const channel = basename(dirname(path));
		let users = new Map<string, SlackUser>();
		const usersPath = join(dirname(dirname(path)), 'users.json');
		try {
			const parsed = parseJsonText(await readFile(usersPath, 'utf8'), usersPath);
			if (parsed.ok) users = usersFrom(parsed.value);
		} catch {
			findings.push({severity: 'info', code: 'unreadable-file', message: `No users.json next to ${channel}/: user ids are not resolved to names.`, location: {file: path}});
		}
		return {
			users,
			channels: new Map([[channel, [path]]]),
			async readDay(name) {
				try {
					return parseJsonText(await readFile(name, 'utf8'), name);
				} catch (error) {
					return {ok: false, finding: unreadable(name, error)};
				}
			},
			location: (_name, index) => ({file: path, path: `$[${index}]`}),
			close: () => undefined,
		};
	}
	let zip: ZipArchive;
	try {
		zip = await openZip(path);
	} catch (error) {
		return {severity: 'error', code: 'unreadable-file', message: `Cannot open ${path}: ${zipErrorReason(error)}.`, location: {file: path}};
	}
	const label = basename(path);
	const readJson = async (name: string): Promise<{ok: true; value: unknown} | {ok: false; finding: Finding}> => {
		try {
			const parsed = parseJsonText((await zip.read(name)).toString('utf8'), path, `${label}:${name}`);
			if (!parsed.ok) parsed.finding.location = {...parsed.finding.location!, path: `${label}:${name}`};
			return parsed;
		} catch (error) {
			return {ok: false, finding: {severity: 'error', code: 'unreadable-file', message: `Cannot read ${label}:${name}: ${zipErrorReason(error)}.`, location: {file: path, path: `${label}:${name}`}}};
		}
	};
	const days = new Map<string, string[]>();
	for (const name of zip.names) {
		const m = DAY_FILE.exec(name);
		if (!m) continue;
		const list = days.get(m[1]!) ?? [];
		list.push(name);
		days.set(m[1]!, list);
	}
	const usersEntry = zip.names.find((n) => basename(n) === 'users.json');
	if (days.size === 0) {
		zip.close();
		return {
			severity: 'error',
			code: 'unknown-format',
			message: `${path} has no <channel>/<YYYY-MM-DD>.json day files${usersEntry ? '' : ' and no users.json'}: not a Slack workspace export.`,
			location: {file: path},
		};
	}
	let users = new Map<string, SlackUser>();
	if (usersEntry) {
		const parsed = await readJson(usersEntry);
		if (parsed.ok) users = usersFrom(parsed.value);
		else findings.push({...parsed.finding, severity: 'warning'});
	} else {
		findings.push({severity: 'warning', code: 'unreadable-file', message: `${label} has no users.json: user ids are not resolved to names.`, location: {file: path}});
	}
	// Channel order: as listed in channels.json (then groups, mpims, dms), then any other folder by name.
	const order: string[] = [];
	for (const list of LISTS) {
		const entry = zip.names.find((n) => basename(n) === list);
		if (!entry) continue;
		const parsed = await readJson(entry);
		if (parsed.ok && Array.isArray(parsed.value)) {
			for (const c of parsed.value) {
				if (!isRecord(c)) continue;
				for (const key of [str(c['name']), str(c['id'])]) if (key && days.has(key) && !order.includes(key)) order.push(key);
			}
		} else if (!parsed.ok) findings.push({...parsed.finding, severity: 'warning'});
	}
	for (const name of [...days.keys()].sort()) if (!order.includes(name)) order.push(name);
	return {
		users,
		channels: new Map(order.map((c) => [c, days.get(c)!.sort()])),
		readDay: readJson,
		location: (name, index) => ({file: path, path: `${label}:${name} $[${index}]`}),
		close: () => zip.close(),
	};
}

function filesOf(m: Record<string, unknown>): Attachment[] {
	if (!Array.isArray(m['files'])) return [];
	return m['files'].filter(isRecord).map((f) => {
		const a: Attachment = {};
		const name = str(f['name']) ?? str(f['title']);
		if (name) a.name = name;
		const url = str(f['url_private']) ?? str(f['permalink']);
		if (url) a.url = url;
		const mime = str(f['mimetype']);
		if (mime) a.mimeType = mime;
		if (typeof f['size'] === 'number') a.size = f['size'];
		return a;
	});
}

function botText(m: Record<string, unknown>): string {
	if (!Array.isArray(m['attachments'])) return '';
	return m['attachments']
		.filter(isRecord)
		.map((a) => str(a['fallback']) ?? [str(a['pretext']), str(a['title']), str(a['text'])].filter(Boolean).join('\n'))
		.filter(Boolean)
		.join('\n');
}

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	const fileFindings: Finding[] = [];
	const opened = await openExport(path, fileFindings);
	if (!('channels' in opened)) {
		yield {kind: 'finding', finding: opened};
		return;
	}
	const exp = opened;
	try {
		for (const finding of fileFindings) yield {kind: 'finding', finding};
		const agentKeys = new Set((options.agents ?? []).map((a) => a.trim().toLowerCase().replace(/^@/, '')));
		const botKeys = new Set((options.bots ?? []).map((a) => a.trim().toLowerCase().replace(/^@/, '')));
		if (agentKeys.size === 0) {
			yield {
				kind: 'finding',
				finding: {severity: 'info', code: 'role-assumed', message: `No --agents given: every human Slack user is imported as an end-user; name the support staff with --agents (user id or name).`, location: {file: path}},
			};
		}
		const userName = (id: string): string | undefined => exp.users.get(id)?.name;
		const matches = (keys: Set<string>, id: string | undefined, extra: string[]): boolean =>
			keys.size > 0 && [...(id ? (exp.users.get(id)?.aliases ?? [id.toLowerCase()]) : []), ...extra.map((x) => x.toLowerCase())].some((k) => keys.has(k));

		for (const [channel, dayFiles] of exp.channels) {
			if (signal?.aborted) return;
			const located: Located[] = [];
			for (const day of dayFiles) {
				const parsed = await exp.readDay(day);
				if (!parsed.ok) {
					yield {kind: 'finding', finding: parsed.finding};
					continue;
				}
				if (!Array.isArray(parsed.value)) {
					yield {kind: 'finding', finding: {severity: 'warning', code: 'invalid-record', message: `${day} is not an array of messages; skipped.`, location: exp.location(day, 0)}};
					continue;
				}
				parsed.value.forEach((message, i) => {
					if (isRecord(message)) {
						const item: Located = {message, location: exp.location(day, i)};
						const ms = slackTsToMs(str(message['ts']) ?? '');
						if (ms !== undefined) item.ms = ms;
						located.push(item);
					}
				});
			}
			const toDraft = (m: Record<string, unknown>, location: SourceLocation, ms: number | undefined): DraftMessage => {
				const subtype = str(m['subtype']);
				const userId = str(m['user']);
				const profile = isRecord(m['user_profile']) ? m['user_profile'] : undefined;
				const username = str(m['username']) ?? (profile ? str(profile['display_name']) || str(profile['real_name']) : undefined);
				const draft: DraftMessage = {location, timestamp: ms === undefined ? (str(m['ts']) ?? null) : {epochMs: ms}};
				const ts = str(m['ts']);
				if (ts) draft.sourceId = ts;
				let text = unwrapSlackMarkup(str(m['text']) ?? '', userName);
				if (subtype && SYSTEM_SUBTYPES.has(subtype)) {
					draft.role = 'system';
					draft.senderId = 'system';
					draft.text = text;
					return draft;
				}
				const isBot = subtype === 'bot_message' || m['bot_id'] !== undefined || (userId !== undefined && exp.users.get(userId)?.isBot === true) || matches(botKeys, userId, username ? [username] : []);
				if (isBot && text.trim() === '') text = unwrapSlackMarkup(botText(m), userName);
				draft.senderId = userId ?? str(m['bot_id']) ?? username ?? '';
				const name = (userId ? userName(userId) : undefined) ?? username;
				if (name) draft.senderName = name;
				draft.role = isBot ? 'bot' : matches(agentKeys, userId, username ? [username] : []) ? 'agent' : 'end-user';
				draft.text = text;
				const files = filesOf(m);
				if (files.length > 0) draft.attachments = files;
				return draft;
			};
			const requesterOf = (messages: DraftMessage[]): DraftConversation['requester'] => {
				const first = messages.find((m) => m.role === 'end-user');
				if (!first?.senderId) return undefined;
				const user = exp.users.get(first.senderId);
				return {id: first.senderId, ...(first.senderName ? {name: first.senderName} : {}), ...(user?.email ? {email: user.email} : {})};
			};
			const build = (id: string, items: Located[], subject: string): DraftConversation => {
				const messages = items.map((l) => toDraft(l.message, l.location, l.ms));
				const draft: DraftConversation = {id, messages, subject, location: items[0]?.location ?? {file: path}};
				const requester = requesterOf(messages);
				if (requester) draft.requester = requester;
				return draft;
			};
			if (options.slackGrouping !== 'thread') {
				yield {kind: 'conversation', draft: build(`slack:${channel}`, located, `#${channel}`)};
				continue;
			}
			const threads = new Map<string, Located[]>();
			let skipped = 0;
			for (const l of located) {
				const threadTs = str(l.message['thread_ts']);
				const subtype = str(l.message['subtype']);
				if (!threadTs && subtype && SYSTEM_SUBTYPES.has(subtype)) {
					skipped++;
					continue;
				}
				const key = threadTs ?? str(l.message['ts']) ?? `${l.location.path}`;
				const list = threads.get(key) ?? [];
				list.push(l);
				threads.set(key, list);
			}
			if (skipped > 0) {
				yield {kind: 'finding', finding: {severity: 'info', code: 'skipped-record', message: `#${channel}: ${skipped} channel notice(s) (joins, topic changes …) outside threads skipped.`, location: located[0]?.location ?? {file: path}}};
			}
			const ordered = [...threads.entries()].sort(([a], [b]) => (slackTsToMs(a) ?? 0) - (slackTsToMs(b) ?? 0));
			for (const [threadTs, items] of ordered) {
				const root = items.find((l) => str(l.message['ts']) === threadTs) ?? items[0]!;
				const first = unwrapSlackMarkup(str(root.message['text']) ?? '', userName).split('\n')[0]!.trim();
				const subject = first ? `#${channel}: ${first.length > 80 ? `${first.slice(0, 79)}…` : first}` : `#${channel}`;
				yield {kind: 'conversation', draft: build(`slack:${channel}:${threadTs}`, items, subject)};
			}
		}
	} finally {
		exp.close();
	}
}

function detect(probe: Probe): Detection {
	if (probe.zipEntries) {
		const names = probe.zipEntries.map((n) => basename(n));
		const days = probe.zipEntries.filter((n) => DAY_FILE.test(n)).length;
		if (names.includes('users.json') && names.includes('channels.json')) return {confidence: 0.95, reason: `Slack export: users.json, channels.json and ${days} day file(s)`};
		if (days > 0 && (names.includes('users.json') || names.includes('channels.json'))) return {confidence: 0.85, reason: `ZIP with ${days} Slack day file(s)`};
		return {confidence: 0, reason: 'ZIP without Slack users.json/channels.json'};
	}
	const text = probe.headText.trimStart();
	if (text.startsWith('[') && /"ts"\s*:\s*"\d+\.\d+"/.test(text) && /"type"\s*:\s*"message"/.test(text)) {
		return {confidence: 0.9, reason: 'array of messages with Slack "ts" (a Slack day file)'};
	}
	return {confidence: 0, reason: 'not a Slack export'};
}

export const slackReader: FormatReader = {
	id: 'slack',
	label: 'Slack workspace export',
	extensions: ['zip', 'json'],
	detect,
	read,
};
