/**
 * Intercom conversations (formats.md §5): `GET /conversations/{id}` objects, alone, in an array, in a list page
 * `{"type": "conversation.list", "conversations": […]}`, as JSON lines, or wrapped in a webhook
 * `notification_event` (`data.item`). Streams arrays, pages and lines.
 *
 * The `source` (older API: `conversation_message`) is the first message, at the conversation's `created_at`;
 * then every `conversation_parts` part with a non-empty body or attachments, whatever its `part_type` (`comment`,
 * and also `open` and `assignment` parts that carry a reply); parts without a body (state changes, attribute
 * updates) are skipped and counted. Bodies are HTML → text. `author.type`: user/lead/contact → end-user,
 * admin/team → agent, bot → bot (the Operator). `part_type: note` parts are private notes (`--private-notes`).
 * Timestamps are epoch seconds. A part list shorter than its `total_count` (the API stops at 500) is reported.
 * Conversation id: `intercom:<id>`.
 */
import type {DraftConversation, DraftMessage, ReadItem} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {Attachment, Role} from '../../model/transcript.js';
import type {Detection, FormatReader, Probe, ReadOptions} from '../types.js';
import {isRecord, str} from '../vendor-a/json-file.js';
import {attachmentsFrom, num, withImages} from './attachments.js';
import {bump, conversationId, epochSeconds, fileStem, findingItem, info, jsonStart, listed, tally, text} from './common.js';
import {bodyText} from './html.js';
import {PrivateNotes} from './notes.js';
import {readJsonRecords, type JsonRecord, type Segment} from './records.js';

const ROLES: Record<string, Role> = {user: 'end-user', lead: 'end-user', contact: 'end-user', admin: 'agent', team: 'agent', bot: 'bot'};

const intercomAttachments = (value: unknown): Attachment[] =>
	attachmentsFrom(value, (a) => ({name: str(a['name']), url: str(a['url']), mimeType: str(a['content_type']), size: num(a['filesize']) ?? num(a['size'])}));

function roleOf(author: Record<string, unknown>, options: ReadOptions): Role | string | undefined {
	const id = str(author['id']);
	const name = text(author['name']);
	const email = text(author['email']);
	if (listed(options.bots, id, name, email)) return 'bot';
	if (listed(options.agents, id, name, email)) return 'agent';
	const type = text(author['type'])?.toLowerCase();
	return type === undefined ? undefined : (ROLES[type] ?? type);
}

/** A message from the source or a part: author, HTML body, attachments. */
function toMessage(item: Record<string, unknown>, at: JsonRecord['location'], options: ReadOptions, time: unknown): DraftMessage {
	const author = isRecord(item['author']) ? item['author'] : {};
	const body = typeof item['body'] === 'string' ? bodyText(item['body']) : {text: '', images: []};
	const message: DraftMessage = {location: at, text: body.text, timestamp: epochSeconds(time)};
	const role = roleOf(author, options);
	if (role !== undefined) message.role = role;
	const senderId = str(author['id']) ?? text(author['email']);
	if (senderId) message.senderId = senderId;
	const name = text(author['name']);
	if (name) message.senderName = name;
	const sourceId = str(item['id']);
	if (sourceId) message.sourceId = sourceId;
	const attachments = withImages(intercomAttachments(item['attachments']), body.images);
	if (attachments.length > 0) message.attachments = attachments;
	return message;
}

function conversationToDraft(record: JsonRecord, index: number, options: ReadOptions, file: string): {draft?: DraftConversation; findings: Finding[]} {
	const findings: Finding[] = [];
	let value = record.value;
	let prefix: Segment[] = [];
	// A webhook notification: {"type": "notification_event", "data": {"item": {…conversation}}}.
	if (isRecord(value) && isRecord(value['data']) && isRecord(value['data']['item'])) {
		value = value['data']['item'];
		prefix = ['data', 'item'];
	}
	if (!isRecord(value) || (value['type'] !== undefined && value['type'] !== 'conversation' && value['conversation_parts'] === undefined)) {
		return {findings: [{severity: 'warning', code: 'invalid-record', message: `${record.path} is not an Intercom conversation; skipped.`, location: record.location}]};
	}
	const at = (sub: Segment[]) => record.at([...prefix, ...sub]);
	const conv = value;
	const sourceId = str(conv['id']);
	const id = conversationId('intercom', sourceId ?? `${fileStem(file)}#${index}`);
	if (!sourceId) findings.push(info('missing-conversation-id', `${record.path} has no conversation "id"; the conversation id is "${id}" (from the file name).`, record.location, id));

	const messages: DraftMessage[] = [];
	const sourceKey = isRecord(conv['source']) ? 'source' : isRecord(conv['conversation_message']) ? 'conversation_message' : undefined;
	const source = sourceKey ? (conv[sourceKey] as Record<string, unknown>) : undefined;
	if (source) {
		const first = toMessage(source, at([sourceKey!]), options, source['created_at'] ?? conv['created_at']);
		if (first.text !== '' || first.attachments) messages.push(first);
	}

	const container = conv['conversation_parts'];
	const partsKey: Segment[] = Array.isArray(container) ? ['conversation_parts'] : ['conversation_parts', 'conversation_parts'];
	const parts = Array.isArray(container) ? container : isRecord(container) && Array.isArray(container['conversation_parts']) ? container['conversation_parts'] : [];
	const notes = new PrivateNotes(options);
	const empty = new Map<string, number>();
	parts.forEach((p, j) => {
		const location = at([...partsKey, j]);
		if (!isRecord(p)) {
			findings.push({severity: 'warning', code: 'invalid-record', conversationId: id, message: `${location.path} is not an object; skipped.`, location});
			return;
		}
		const partType = text(p['part_type']) ?? 'comment';
		const message = toMessage(p, location, options, p['created_at']);
		if (message.text === '' && !message.attachments) {
			bump(empty, partType);
			return;
		}
		if (partType.startsWith('note')) {
			if (!notes.keep()) return;
			message.private = true;
		}
		messages.push(message);
	});
	if (empty.size > 0) {
		const n = [...empty.values()].reduce((a, b) => a + b, 0);
		findings.push(info('skipped-record', `${n} conversation part(s) without a body skipped (${tally(empty)}).`, record.location, id));
	}
	const total = isRecord(container) ? num(container['total_count']) : undefined;
	if (total !== undefined && total > parts.length) {
		findings.push({
			severity: 'warning',
			code: 'skipped-record',
			conversationId: id,
			message: `The export holds ${parts.length} of ${total} conversation parts (Intercom's API returns at most 500): the rest of the conversation is missing.`,
			location: at(['conversation_parts']),
		});
	}
	const notesFinding = notes.finding(id, record.location);
	if (notesFinding) findings.push(notesFinding);

	const draft: DraftConversation = {id, messages, location: record.location};
	const requester = requesterOf(conv, source);
	if (requester) {
		draft.requester = requester;
		// Parts often carry only the author's id: name the customer's messages after the requester.
		for (const m of messages) if (m.senderId !== undefined && m.senderId === requester.id && !m.senderName && requester.name) m.senderName = requester.name;
	}
	const subject = subjectOf(conv, source);
	if (subject) draft.subject = subject;
	const attributes: Record<string, unknown> = {};
	const state = text(conv['state']) ?? (conv['open'] === true ? 'open' : conv['open'] === false ? 'closed' : undefined);
	if (state) attributes['intercomState'] = state;
	const tags = isRecord(conv['tags']) && Array.isArray(conv['tags']['tags']) ? conv['tags']['tags'].map((t) => (isRecord(t) ? text(t['name']) : undefined)).filter(Boolean) : [];
	if (tags.length > 0) attributes['intercomTags'] = tags;
	if (Object.keys(attributes).length > 0) draft.attributes = attributes;
	return {draft, findings};
}

/** The customer: the source's author when an end-user, else `user`, `contacts[0]`, `customers[0]`; fields merged by id. */
function requesterOf(conv: Record<string, unknown>, source: Record<string, unknown> | undefined): DraftConversation['requester'] | undefined {
	const author = source && isRecord(source['author']) ? source['author'] : undefined;
	const authorType = author ? text(author['type'])?.toLowerCase() : undefined;
	const candidates = [
		author && authorType && ROLES[authorType] === 'end-user' ? author : undefined,
		isRecord(conv['user']) ? conv['user'] : undefined,
		firstOf(isRecord(conv['contacts']) ? conv['contacts']['contacts'] : conv['contacts']),
		firstOf(conv['customers']),
	].filter((c): c is Record<string, unknown> => c !== undefined);
	const id = candidates.map((c) => str(c['id'])).find(Boolean);
	const same = candidates.filter((c) => str(c['id']) === undefined || str(c['id']) === id);
	const name = same.map((c) => text(c['name'])).find(Boolean);
	const email = same.map((c) => text(c['email'])).find(Boolean);
	if (!id && !email) return undefined;
	return {...(id ? {id} : {}), ...(name ? {name} : {}), ...(email ? {email} : {})};
}

const firstOf = (list: unknown): Record<string, unknown> | undefined => (Array.isArray(list) && isRecord(list[0]) ? list[0] : undefined);

function subjectOf(conv: Record<string, unknown>, source: Record<string, unknown> | undefined): string | undefined {
	const fromSource = source ? text(source['subject']) : undefined;
	const custom = isRecord(conv['custom_attributes']) ? text(conv['custom_attributes']['_default_title_']) : undefined;
	const raw = fromSource ?? text(conv['title']) ?? custom;
	return raw ? bodyText(raw).text || undefined : undefined;
}

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	let index = 0;
	for await (const item of readJsonRecords(path, {wrappers: ['conversations'], ...(signal ? {signal} : {})})) {
		if (signal?.aborted) return;
		if (item.kind === 'finding') yield item;
		else if (item.kind === 'record') {
			const {draft, findings} = conversationToDraft(item.record, index++, options, path);
			for (const f of findings) yield findingItem(f);
			if (draft) yield {kind: 'conversation', draft};
		}
	}
}

function detect(probe: Probe): Detection {
	const t = probe.headText;
	if (!jsonStart(t)) return {confidence: 0, reason: 'not JSON'};
	if (/"conversation_parts"\s*:/.test(t)) return {confidence: 0.9, reason: 'conversations with conversation_parts: Intercom'};
	if (/"type"\s*:\s*"conversation\.list"/.test(t)) return {confidence: 0.85, reason: 'Intercom conversation.list page'};
	if (/"type"\s*:\s*"notification_event"/.test(t) && /"type"\s*:\s*"conversation"/.test(t)) return {confidence: 0.85, reason: 'Intercom webhook notification with a conversation'};
	if (/"conversation_message"\s*:\s*\{/.test(t) && /"type"\s*:\s*"conversation"/.test(t)) return {confidence: 0.8, reason: 'Intercom conversation (conversation_message)'};
	return {confidence: 0, reason: 'no Intercom conversation_parts'};
}

export const intercomReader: FormatReader = {
	id: 'intercom',
	label: 'Intercom conversations',
	extensions: ['json', 'jsonl', 'ndjson'],
	detect,
	read,
};
