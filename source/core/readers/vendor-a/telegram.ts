/**
 * Telegram Desktop "Export chat history" `result.json`: a single chat (`{name, type, id, messages}`) or a full
 * export (`{personal_information, chats: {list}, left_chats: {list}}`); also a ZIP holding `result.json`.
 *
 * Roles: `options.agents` / `options.bots` by name or `from_id` (`user42` or `42`). Without `agents`, the exporting
 * account is guessed as the business (agent): `personal_information.user_id` in full exports; in a single
 * personal chat, the sender who is not the peer (a personal chat's id is the peer's user id). In a `bot_chat` the
 * peer is a bot and the exporter an end-user. `via_bot` messages are bot messages. Service messages are system lines.
 * Conversation id: `telegram:<chat id>`.
 */
import {basename} from 'node:path';
import type {DraftConversation, DraftMessage, ReadItem} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {Attachment, Role, SourceLocation} from '../../model/transcript.js';
import type {Detection, FormatReader, Probe, ReadOptions} from '../types.js';
import {isRecord, loadJsonFile, parseJsonText, str, type JsonLoad} from './json-file.js';
import {flattenTelegramText} from './telegram-text.js';
import {fileNameOf} from './url-name.js';
import {isZipFile, openZip, zipErrorReason} from './zip.js';

const CHAT_TYPES = ['personal_chat', 'bot_chat', 'private_group', 'private_supergroup', 'public_supergroup', 'private_channel', 'public_channel', 'saved_messages'];
const NOT_INCLUDED = /^\(File not included/;

/** `user42`, `42` and `42.0` all name the same account. */
const idKey = (value: string): string => value.trim().toLowerCase().replace(/^(user|channel|chat)/, '');

interface Located {
	chat: Record<string, unknown>;
	path: string;
}

interface Context {
	file: string;
	/** Prefix of JSON paths inside a ZIP (`export.zip:result.json `). */
	inner: string;
	options: ReadOptions;
	exporterId?: string;
	exporterName?: string;
}

function attachmentOf(m: Record<string, unknown>): Attachment[] {
	const path = str(m['photo']) ?? str(m['file']);
	if (!path) return [];
	const a: Attachment = {name: str(m['file_name']) ?? (NOT_INCLUDED.test(path) ? `${str(m['media_type']) ?? (m['photo'] ? 'photo' : 'file')} (not included in the export)` : fileNameOf(path))};
	const mime = str(m['mime_type']) ?? (m['photo'] ? 'image/jpeg' : undefined);
	if (mime) a.mimeType = mime;
	const size = m['file_size'] ?? m['photo_file_size'];
	if (typeof size === 'number' && size >= 0) a.size = size;
	return [a];
}

function serviceText(m: Record<string, unknown>): string {
	const text = flattenTelegramText(m['text']);
	if (text) return text;
	const actor = str(m['actor']) ?? 'Someone';
	const action = (str(m['action']) ?? 'service message').replace(/_/g, ' ');
	const title = str(m['title']);
	const members = Array.isArray(m['members']) ? m['members'].map((x) => str(x) ?? '').filter(Boolean) : [];
	const duration = typeof m['duration_seconds'] === 'number' ? ` (${m['duration_seconds']} s)` : '';
	return `${actor}: ${action}${title ? ` "${title}"` : ''}${members.length > 0 ? ` ${members.join(', ')}` : ''}${duration}`;
}

function timestampOf(m: Record<string, unknown>): DraftMessage['timestamp'] {
	const unix = str(m['date_unixtime']);
	if (unix && /^\d+$/.test(unix)) return {epochMs: Number(unix) * 1000};
	// Older exports: `date` only, the exporting machine's local time without an offset (read in --timezone).
	return str(m['date']) ?? null;
}

function chatToDraft(located: Located, index: number, ctx: Context): {draft?: DraftConversation; findings: Finding[]} {
	const {chat, path} = located;
	const findings: Finding[] = [];
	const at = (p: string): SourceLocation => ({file: ctx.file, path: `${ctx.inner}${p}`});
	const chatId = str(chat['id']);
	const name = str(chat['name']);
	const type = str(chat['type']);
	const id = chatId ? `telegram:${chatId}` : `telegram:${name ?? basename(ctx.file)}#${index}`;
	if (!chatId) {
		findings.push({severity: 'info', code: 'missing-conversation-id', conversationId: id, message: `${path} has no chat "id"; the conversation id is "${id}" (from the chat name).`, location: at(path)});
	}
	const messages = chat['messages'];
	if (!Array.isArray(messages)) {
		findings.push({severity: 'error', code: 'invalid-record', conversationId: id, message: `${path}.messages is missing or not an array.`, location: at(path)});
		return {findings};
	}
	const agentKeys = new Set((ctx.options.agents ?? []).flatMap((a) => [a.trim().toLowerCase(), idKey(a)]));
	const botKeys = new Set((ctx.options.bots ?? []).flatMap((a) => [a.trim().toLowerCase(), idKey(a)]));
	const peerKey = chatId && (type === 'personal_chat' || type === 'bot_chat') ? idKey(chatId) : undefined;
	// Without --agents: the exporter is the business, except in a bot chat where the peer is the bot.
	let guessedAgentKey = agentKeys.size === 0 && type !== 'bot_chat' ? (ctx.exporterId ? idKey(ctx.exporterId) : undefined) : undefined;
	if (agentKeys.size === 0 && !guessedAgentKey && type === 'personal_chat' && peerKey) {
		const other = messages.find((m) => isRecord(m) && str(m['from_id']) && idKey(str(m['from_id'])!) !== peerKey);
		if (isRecord(other)) {
			guessedAgentKey = idKey(str(other['from_id'])!);
			findings.push({
				severity: 'info',
				code: 'role-assumed',
				conversationId: id,
				message: `Assumed "${str(other['from']) ?? str(other['from_id'])}" (who exported this chat with "${name}") is the business (agent); if wrong, use --agents.`,
				location: at(path),
			});
		}
	}
	const roleOf = (m: Record<string, unknown>, fromId: string | undefined, from: string | undefined): Role => {
		const keys = [fromId && idKey(fromId), from?.trim().toLowerCase()].filter((k): k is string => Boolean(k));
		if (keys.some((k) => botKeys.has(k)) || m['via_bot'] !== undefined) return 'bot';
		if (type === 'bot_chat' && fromId && idKey(fromId) === peerKey) return 'bot';
		if (keys.some((k) => agentKeys.has(k))) return 'agent';
		if (guessedAgentKey && fromId && idKey(fromId) === guessedAgentKey) return 'agent';
		return 'end-user';
	};
	const drafts: DraftMessage[] = [];
	let unsupported = 0;
	messages.forEach((m, i) => {
		const location = at(`${path}.messages[${i}]`);
		if (!isRecord(m)) {
			findings.push({severity: 'warning', code: 'invalid-record', conversationId: id, message: `${path}.messages[${i}] is not an object; skipped.`, location});
			return;
		}
		const kind = str(m['type']) ?? 'message';
		if (kind === 'unsupported') {
			unsupported++;
			return;
		}
		const message: DraftMessage = {location, timestamp: timestampOf(m)};
		const sourceId = str(m['id']);
		if (sourceId) message.sourceId = sourceId;
		if (kind === 'service') {
			message.role = 'system';
			message.senderId = 'system';
			message.text = serviceText(m);
		} else {
			const from = str(m['from']) ?? undefined;
			const fromId = str(m['from_id']) ?? undefined;
			message.senderId = fromId ?? from ?? '';
			if (from) message.senderName = from;
			message.role = roleOf(m, fromId, from);
			message.text = flattenTelegramText(m['text']);
			const attachments = attachmentOf(m);
			if (attachments.length > 0) message.attachments = attachments;
		}
		drafts.push(message);
	});
	if (unsupported > 0) {
		findings.push({severity: 'info', code: 'skipped-record', conversationId: id, message: `${unsupported} message(s) of type "unsupported" (media Telegram could not export) skipped.`, location: at(path)});
	}
	const draft: DraftConversation = {id, messages: drafts, location: at(path)};
	if (name) draft.subject = type === 'personal_chat' || type === 'bot_chat' ? `Telegram chat with ${name}` : `Telegram: ${name}`;
	if (type === 'personal_chat' && chatId) {
		const peerMessage = messages.find((m) => isRecord(m) && str(m['from_id']) && idKey(str(m['from_id'])!) === peerKey);
		const peerRole = isRecord(peerMessage) ? roleOf(peerMessage, str(peerMessage['from_id']), str(peerMessage['from'])) : 'end-user';
		if (peerRole === 'end-user') draft.requester = {id: isRecord(peerMessage) ? str(peerMessage['from_id'])! : `user${chatId}`, ...(name ? {name} : {})};
	}
	if (type) draft.attributes = {telegramChatType: type};
	return {draft, findings};
}

async function load(path: string): Promise<{loaded: JsonLoad; inner: string}> {
	if (!(await isZipFile(path))) return {loaded: await loadJsonFile(path), inner: ''};
	try {
		const zip = await openZip(path);
		try {
			const entry = zip.names.filter((n) => basename(n) === 'result.json').sort((a, b) => a.length - b.length)[0];
			if (!entry) {
				return {
					loaded: {ok: false, finding: {severity: 'error', code: 'unknown-format', message: `${path} is a ZIP without result.json: not a Telegram Desktop export (export as "Machine-readable JSON").`, location: {file: path}}},
					inner: '',
				};
			}
			const inner = `${basename(path)}:${entry}`;
			return {loaded: parseJsonText((await zip.read(entry)).toString('utf8'), path, inner), inner: `${inner} `};
		} finally {
			zip.close();
		}
	} catch (error) {
		return {loaded: {ok: false, finding: {severity: 'error', code: 'unreadable-file', message: `Cannot open ${path}: ${zipErrorReason(error)}.`, location: {file: path}}}, inner: ''};
	}
}

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	// Telegram exports are read whole: JSON.parse of result.json (modest even for full exports of text chats).
	const {loaded, inner} = await load(path);
	if (!loaded.ok) {
		yield {kind: 'finding', finding: loaded.finding};
		return;
	}
	const root = loaded.value;
	const chats: Located[] = [];
	const ctx: Context = {file: path, inner, options};
	if (isRecord(root) && isRecord(root['chats'])) {
		const personal = isRecord(root['personal_information']) ? root['personal_information'] : undefined;
		const userId = personal ? str(personal['user_id']) : undefined;
		if (userId) {
			ctx.exporterId = userId;
			const first = personal ? [str(personal['first_name']), str(personal['last_name'])].filter(Boolean).join(' ') : '';
			if (first) ctx.exporterName = first;
		}
		for (const key of ['chats', 'left_chats']) {
			const section = root[key];
			const list = isRecord(section) ? section['list'] : undefined;
			if (Array.isArray(list)) list.forEach((chat, i) => isRecord(chat) && chats.push({chat, path: `$.${key}.list[${i}]`}));
		}
		if (userId && !(options.agents && options.agents.length > 0)) {
			yield {
				kind: 'finding',
				finding: {
					severity: 'info',
					code: 'role-assumed',
					message: `Assumed the exporting account ${ctx.exporterName ? `"${ctx.exporterName}" ` : ''}(user${idKey(userId)}) is the business (agent) in every chat; if wrong, use --agents.`,
					location: {file: path, path: `${inner}$.personal_information`},
				},
			};
		}
	} else if (isRecord(root) && Array.isArray(root['messages'])) {
		chats.push({chat: root, path: '$'});
	} else {
		yield {
			kind: 'finding',
			finding: {severity: 'error', code: 'invalid-record', message: `${path} is JSON but not a Telegram export (expected "messages" or "chats.list").`, location: {file: path}},
		};
		return;
	}
	for (let i = 0; i < chats.length; i++) {
		if (signal?.aborted) return;
		const {draft, findings} = chatToDraft(chats[i]!, i, ctx);
		for (const finding of findings) yield {kind: 'finding', finding};
		if (draft) yield {kind: 'conversation', draft};
	}
}

function detect(probe: Probe): Detection {
	if (probe.zipEntries) {
		const entry = probe.zipEntries.find((n) => basename(n) === 'result.json');
		return entry ? {confidence: 0.9, reason: `ZIP with Telegram ${entry}`} : {confidence: 0, reason: 'ZIP without result.json'};
	}
	const text = probe.headText;
	if (!/^\s*\{/.test(text)) return {confidence: 0, reason: 'not a JSON object'};
	if (/"personal_information"\s*:/.test(text) || /"chats"\s*:\s*\{\s*"about"/.test(text)) return {confidence: 0.95, reason: 'Telegram full export (personal_information, chats.list)'};
	if (/"date_unixtime"\s*:\s*"\d+"/.test(text)) return {confidence: 0.95, reason: 'messages with date_unixtime (Telegram Desktop export)'};
	const type = /"type"\s*:\s*"([a-z_]+)"/.exec(text)?.[1];
	if (type && CHAT_TYPES.includes(type) && /"messages"\s*:\s*\[/.test(text)) return {confidence: 0.9, reason: `Telegram ${type} with messages[]`};
	return {confidence: 0, reason: 'no Telegram export keys'};
}

export const telegramReader: FormatReader = {
	id: 'telegram',
	label: 'Telegram Desktop export',
	extensions: ['json', 'zip'],
	detect,
	read,
};
