/**
 * Zendesk Chat (Zopim) chats, as the Chat API returns them (formats.md §3): a chat, an array of chats, a page
 * `{"chats": […], "count", "next_page"}` (incremental export too), or JSON lines. Streams arrays, pages and lines.
 *
 * A `chat` becomes one conversation of its `history`: `chat.msg` → a message whose role comes from `nick`
 * (`visitor…` → end-user, `agent:trigger` → bot, `agent:system` → system, other `agent:…` → agent);
 * `chat.file.upload` → a message with the attachment; `chat.memberjoin`/`chat.memberleave`/`chat.rating` → system
 * lines; `chat.comment` (the visitor's rating comment) → an end-user message; anything else is skipped and counted.
 * An `offline_msg` becomes one end-user message (`message`) at the chat's `timestamp`. Timestamps are passed as
 * found: ISO strings from the REST API, numbers (the Web SDK's epoch ms) decided by magnitude, never mixed up.
 * Conversation id: `zendesk-chat:<chat id>`.
 */
import type {DraftConversation, DraftMessage, DraftTimestamp, ReadItem} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {Role} from '../../model/transcript.js';
import type {Detection, FormatReader, Probe, ReadOptions} from '../types.js';
import {isRecord, str} from '../vendor-a/json-file.js';
import {attachmentOf, num} from './attachments.js';
import {bump, conversationId, fileStem, findingItem, info, jsonStart, listed, tally, text} from './common.js';
import {readJsonRecords, type JsonRecord} from './records.js';

function timestampOf(value: unknown): DraftTimestamp | null {
	return typeof value === 'string' || typeof value === 'number' ? value : null;
}

function systemLine(message: DraftMessage, line: string): void {
	message.role = 'system';
	message.senderId = 'system';
	message.text = line;
	delete message.senderName;
}

function chatToDraft(record: JsonRecord, index: number, options: ReadOptions, file: string): {draft?: DraftConversation; findings: Finding[]} {
	const findings: Finding[] = [];
	const chat = record.value;
	if (!isRecord(chat)) {
		return {findings: [{severity: 'warning', code: 'invalid-record', message: `${record.path} is not an object (expected a Zendesk chat); skipped.`, location: record.location}]};
	}
	const sourceId = str(chat['id']);
	const id = conversationId('zendesk-chat', sourceId ?? `${fileStem(file)}#${index}`);
	if (!sourceId) findings.push(info('missing-conversation-id', `${record.path} has no chat "id"; the conversation id is "${id}" (from the file name).`, record.location, id));
	const visitor = isRecord(chat['visitor']) ? chat['visitor'] : {};
	const visitorId = text(visitor['id']);
	const visitorName = text(visitor['name']);
	const visitorEmail = text(visitor['email']);
	const visitorSender = visitorId ?? visitorEmail ?? visitorName ?? 'visitor';
	const session = isRecord(chat['session']) ? chat['session'] : {};
	const type = text(chat['type']);
	const messages: DraftMessage[] = [];
	const skipped = new Map<string, number>();

	if (type === 'offline_msg') {
		const body = str(chat['message']) ?? '';
		const message: DraftMessage = {location: record.at(['message']), role: 'end-user', senderId: visitorSender, text: body.trim(), timestamp: timestampOf(chat['timestamp']) ?? timestampOf(session['start_date'])};
		if (visitorName) message.senderName = visitorName;
		messages.push(message);
	} else {
		const history = chat['history'];
		if (!Array.isArray(history)) {
			findings.push({severity: 'error', code: 'invalid-record', conversationId: id, message: `${record.path}.history is missing or not an array (a chat of type "${type ?? 'chat'}" needs it).`, location: record.location});
			return {findings};
		}
		history.forEach((h, j) => {
			const location = record.at(['history', j]);
			if (!isRecord(h)) {
				findings.push({severity: 'warning', code: 'invalid-record', conversationId: id, message: `${location.path} is not an object; skipped.`, location});
				return;
			}
			const kind = text(h['type']) ?? 'chat.msg';
			const nick = text(h['nick']) ?? '';
			const name = text(h['display_name']) ?? text(h['name']);
			const isVisitor = nick.startsWith('visitor') || (nick === '' && name !== undefined && name === visitorName);
			let role: Role;
			if (listed(options.bots, nick, name)) role = 'bot';
			else if (listed(options.agents, nick, name)) role = 'agent';
			else if (isVisitor) role = 'end-user';
			else if (nick === 'agent:trigger') role = 'bot';
			else if (nick === 'agent:system') role = 'system';
			else role = 'agent';
			const message: DraftMessage = {location, role, senderId: isVisitor ? visitorSender : nick || name || 'agent', timestamp: timestampOf(h['timestamp'])};
			if (name) message.senderName = name;
			const msgId = str(h['msg_id']);
			if (msgId) message.sourceId = msgId;
			const who = name ?? (isVisitor ? (visitorName ?? 'The visitor') : 'An agent');
			switch (kind) {
				case 'chat.msg':
					message.text = str(h['msg']) ?? '';
					break;
				case 'chat.file.upload': {
					const a = isRecord(h['attachment']) ? h['attachment'] : {};
					const attachment = attachmentOf({name: str(a['name']), url: str(a['url']), mimeType: str(a['mime_type']), size: num(a['size'])});
					message.text = str(h['msg']) ?? '';
					if (attachment) message.attachments = [attachment];
					break;
				}
				case 'chat.memberjoin':
				case 'chat.memberleave':
					systemLine(message, `${who} ${kind === 'chat.memberjoin' ? 'joined' : 'left'} the chat`);
					break;
				case 'chat.rating': {
					const rating = text(h['new_rating']) ?? text(h['rating']);
					if (!rating) {
						bump(skipped, kind);
						return;
					}
					systemLine(message, `${who} rated the chat: ${rating}`);
					break;
				}
				case 'chat.comment': {
					const comment = text(h['new_comment']) ?? text(h['comment']) ?? text(h['msg']);
					if (!comment) {
						bump(skipped, kind);
						return;
					}
					message.text = comment;
					break;
				}
				default:
					bump(skipped, kind);
					return;
			}
			messages.push(message);
		});
	}
	if (skipped.size > 0) {
		const n = [...skipped.values()].reduce((a, b) => a + b, 0);
		findings.push(info('skipped-record', `${n} history item(s) that are not messages skipped (${tally(skipped)}).`, record.location, id));
	}
	const draft: DraftConversation = {id, messages, location: record.location};
	draft.requester = {id: visitorSender, ...(visitorName ? {name: visitorName} : {}), ...(visitorEmail ? {email: visitorEmail} : {})};
	if (type === 'offline_msg') draft.subject = 'Offline message';
	const attributes: Record<string, unknown> = {};
	const ticket = str(chat['zendesk_ticket_id']);
	if (ticket) attributes['zendeskTicketId'] = ticket;
	const department = text(chat['department_name']);
	if (department) attributes['zendeskDepartment'] = department;
	if (Array.isArray(chat['tags']) && chat['tags'].length > 0) attributes['zendeskTags'] = chat['tags'];
	const rating = text(chat['rating']);
	if (rating) attributes['zendeskRating'] = rating;
	if (Object.keys(attributes).length > 0) draft.attributes = attributes;
	return {draft, findings};
}

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	let index = 0;
	for await (const item of readJsonRecords(path, {wrappers: ['chats'], ...(signal ? {signal} : {})})) {
		if (signal?.aborted) return;
		if (item.kind === 'finding') yield item;
		else if (item.kind === 'record') {
			const {draft, findings} = chatToDraft(item.record, index++, options, path);
			for (const f of findings) yield findingItem(f);
			if (draft) yield {kind: 'conversation', draft};
		}
	}
}

function detect(probe: Probe): Detection {
	const t = probe.headText;
	if (!jsonStart(t)) return {confidence: 0, reason: 'not JSON'};
	const history = /"history"\s*:\s*\[/.test(t);
	if (history && (/"nick"\s*:\s*"(visitor|agent)/.test(t) || /"type"\s*:\s*"chat\.(msg|memberjoin|memberleave|file\.upload|rating|comment|event)"/.test(t))) {
		return {confidence: 0.9, reason: 'chats with history[] items (nick, type chat.*): Zendesk Chat'};
	}
	if (/"type"\s*:\s*"offline_msg"/.test(t) && /"visitor"\s*:\s*\{/.test(t)) return {confidence: 0.9, reason: 'Zendesk Chat offline messages (type offline_msg, visitor)'};
	if (/"chats"\s*:\s*\[/.test(t) && /"visitor"\s*:\s*\{/.test(t) && /"session"\s*:\s*\{/.test(t)) return {confidence: 0.8, reason: 'page of chats with visitor and session'};
	return {confidence: 0, reason: 'no Zendesk Chat history or offline_msg'};
}

export const zendeskChatReader: FormatReader = {
	id: 'zendesk-chat',
	label: 'Zendesk Chat (Zopim) chats',
	extensions: ['json', 'jsonl', 'ndjson'],
	detect,
	read,
};
