/**
 * Freshdesk tickets with their conversations (formats.md §9): `{"ticket": {…}, "conversations": […]}`, a ticket
 * with `conversations` embedded (`GET /tickets/{id}?include=conversations`), an array of either, `{"tickets": […]}`,
 * or JSON lines. Streams arrays and lines.
 *
 * The ticket's description (`description_text`, else the HTML `description`) is the requester's first message at
 * the ticket's `created_at`, with the ticket's attachments. Conversations: `body_text` when present, else the HTML
 * `body` (else `structured_body` text parts). Roles: the requester's `user_id` or `incoming: true` → end-user;
 * `incoming: false` without a `user_id` (the web chat's automated greeting) → bot; otherwise agent.
 * `private: true` notes follow `--private-notes`. Conversation id: `freshdesk:<ticket id>`.
 */
import type {DraftConversation, DraftMessage, ReadItem} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {Attachment, Role} from '../../model/transcript.js';
import type {Detection, FormatReader, Probe, ReadOptions} from '../types.js';
import {isRecord, str} from '../vendor-a/json-file.js';
import {attachmentsFrom, num, withImages} from './attachments.js';
import {conversationId, fileStem, findingItem, info, jsonStart, listed, text} from './common.js';
import {bodyText} from './html.js';
import {PrivateNotes} from './notes.js';
import {readJsonRecords, type JsonRecord, type Segment} from './records.js';

const freshdeskAttachments = (value: unknown): Attachment[] =>
	attachmentsFrom(value, (a) => ({name: str(a['name']), url: str(a['attachment_url']) ?? str(a['url']), mimeType: str(a['content_type']), size: num(a['size'])}));

/** "Name <address>" → name and address. */
function parseFrom(value: string | undefined): {name?: string; email?: string} {
	if (!value) return {};
	const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
	if (m) return {...(m[1] ? {name: m[1]} : {}), email: m[2]!};
	return value.includes('@') ? {email: value.trim()} : {name: value.trim()};
}

function bodyOf(c: Record<string, unknown>, textKey: string, htmlKey: string): {text: string; images: Attachment[]} {
	const plain = str(c[textKey]);
	const html = str(c[htmlKey]);
	const images = html ? bodyText(html).images : [];
	if (plain !== undefined && plain.trim() !== '') return {text: plain.trim(), images};
	if (html !== undefined && html.trim() !== '') return bodyText(html);
	const structured = isRecord(c['structured_body']) && Array.isArray(c['structured_body']['body_contents']) ? c['structured_body']['body_contents'] : [];
	const parts = structured.map((p) => (isRecord(p) && isRecord(p['data']) ? text(p['data']['content']) : undefined)).filter((p): p is string => p !== undefined);
	return {text: parts.join('\n'), images};
}

function ticketToDraft(record: JsonRecord, index: number, options: ReadOptions, file: string): {draft?: DraftConversation; findings: Finding[]} {
	const findings: Finding[] = [];
	const value = record.value;
	if (!isRecord(value)) {
		return {findings: [{severity: 'warning', code: 'invalid-record', message: `${record.path} is not an object (expected a Freshdesk ticket); skipped.`, location: record.location}]};
	}
	const pair = isRecord(value['ticket']);
	const ticket = pair ? (value['ticket'] as Record<string, unknown>) : value;
	const ticketAt: Segment[] = pair ? ['ticket'] : [];
	let conversations = value['conversations'];
	let conversationsAt: Segment[] = ['conversations'];
	if (pair && !Array.isArray(conversations)) {
		conversations = ticket['conversations'];
		conversationsAt = ['ticket', 'conversations'];
	}
	const sourceId = str(ticket['id']);
	if (!sourceId && !Array.isArray(conversations)) {
		return {findings: [{severity: 'warning', code: 'invalid-record', message: `${record.path} is not a Freshdesk ticket (no "id" or "conversations"); skipped.`, location: record.location}]};
	}
	const id = conversationId('freshdesk', sourceId ?? `${fileStem(file)}#${index}`);
	if (!sourceId) findings.push(info('missing-conversation-id', `${record.path} has no ticket id; the conversation id is "${id}" (from the file name).`, record.location, id));

	const requesterObject = isRecord(ticket['requester']) ? ticket['requester'] : undefined;
	const requesterId = str(ticket['requester_id']) ?? (requesterObject ? str(requesterObject['id']) : undefined);
	// Names by user id from "Name <address>" senders (e-mail tickets carry no users), the requester's included.
	const names = new Map<string, {name?: string; email?: string}>();
	if (Array.isArray(conversations)) {
		for (const c of conversations) {
			const userId = isRecord(c) ? str(c['user_id']) : undefined;
			if (userId && !names.has(userId)) {
				const from = parseFrom(text((c as Record<string, unknown>)['from_email']));
				if (from.name || from.email) names.set(userId, from);
			}
		}
	}
	const requesterFrom = requesterId ? names.get(requesterId) : undefined;
	const requesterName = (requesterObject ? text(requesterObject['name']) : undefined) ?? requesterFrom?.name;
	const requesterEmail = (requesterObject ? text(requesterObject['email']) : undefined) ?? text(ticket['email']) ?? requesterFrom?.email;
	const messages: DraftMessage[] = [];

	const description = bodyOf(ticket, 'description_text', 'description');
	const ticketAttachments = freshdeskAttachments(ticket['attachments']);
	if (description.text !== '' || ticketAttachments.length > 0) {
		const message: DraftMessage = {location: record.at([...ticketAt, 'description']), role: 'end-user', senderId: requesterId ?? requesterEmail ?? 'requester', text: description.text, timestamp: str(ticket['created_at']) ?? null};
		if (requesterName) message.senderName = requesterName;
		const attachments = withImages(ticketAttachments, description.images);
		if (attachments.length > 0) message.attachments = attachments;
		messages.push(message);
	}

	const notes = new PrivateNotes(options);
	if (Array.isArray(conversations)) {
		conversations.forEach((c, j) => {
			const location = record.at([...conversationsAt, j]);
			if (!isRecord(c)) {
				findings.push({severity: 'warning', code: 'invalid-record', conversationId: id, message: `${location.path} is not an object; skipped.`, location});
				return;
			}
			const isPrivate = c['private'] === true;
			if (isPrivate && !notes.keep()) return;
			const userId = str(c['user_id']);
			const from = parseFrom(text(c['from_email']));
			let role: Role;
			if (listed(options.bots, userId, from.name, from.email)) role = 'bot';
			else if (listed(options.agents, userId, from.name, from.email)) role = 'agent';
			else if (userId !== undefined && userId === requesterId) role = 'end-user';
			else if (c['incoming'] === true) role = 'end-user';
			else if (userId === undefined) role = 'bot';
			else role = 'agent';
			const body = bodyOf(c, 'body_text', 'body');
			const message: DraftMessage = {location, role, senderId: userId ?? from.email ?? (role === 'bot' ? 'freshdesk-bot' : ''), text: body.text, timestamp: str(c['created_at']) ?? null};
			const name = userId !== undefined && userId === requesterId ? requesterName : (from.name ?? (userId ? names.get(userId)?.name : undefined));
			if (name) message.senderName = name;
			const cid = str(c['id']);
			if (cid) message.sourceId = cid;
			const attachments = withImages(freshdeskAttachments(c['attachments']), body.images);
			if (attachments.length > 0) message.attachments = attachments;
			if (isPrivate) message.private = true;
			messages.push(message);
		});
	}
	const notesFinding = notes.finding(id, record.location);
	if (notesFinding) findings.push(notesFinding);

	const draft: DraftConversation = {id, messages, location: record.location};
	if (requesterId || requesterEmail) draft.requester = {...(requesterId ? {id: requesterId} : {}), ...(requesterName ? {name: requesterName} : {}), ...(requesterEmail ? {email: requesterEmail} : {})};
	const subject = text(ticket['subject']);
	if (subject) draft.subject = subject;
	const attributes: Record<string, unknown> = {};
	const status = num(ticket['status']);
	if (status !== undefined) attributes['freshdeskStatus'] = status;
	if (Array.isArray(ticket['tags']) && ticket['tags'].length > 0) attributes['freshdeskTags'] = ticket['tags'];
	const source = num(ticket['source']);
	if (source !== undefined) attributes['freshdeskSource'] = source;
	if (Object.keys(attributes).length > 0) draft.attributes = attributes;
	return {draft, findings};
}

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	let index = 0;
	for await (const item of readJsonRecords(path, {wrappers: ['tickets'], ...(signal ? {signal} : {})})) {
		if (signal?.aborted) return;
		if (item.kind === 'finding') yield item;
		else if (item.kind === 'record') {
			const {draft, findings} = ticketToDraft(item.record, index++, options, path);
			for (const f of findings) yield findingItem(f);
			if (draft) yield {kind: 'conversation', draft};
		}
	}
}

function detect(probe: Probe): Detection {
	const t = probe.headText;
	if (!jsonStart(t)) return {confidence: 0, reason: 'not JSON'};
	if (/"conversations"\s*:\s*\[/.test(t) && /"incoming"\s*:\s*(true|false)/.test(t) && /"body_text"\s*:/.test(t)) {
		return {confidence: 0.9, reason: 'tickets with conversations[] (incoming, body_text): Freshdesk'};
	}
	if (/"description_text"\s*:/.test(t) && /"requester_id"\s*:/.test(t) && /"(fr_escalated|responder_id|fr_due_by)"\s*:/.test(t)) {
		return {confidence: 0.8, reason: 'Freshdesk tickets (description_text, responder_id)'};
	}
	return {confidence: 0, reason: 'no Freshdesk conversations'};
}

export const freshdeskReader: FormatReader = {
	id: 'freshdesk',
	label: 'Freshdesk tickets',
	extensions: ['json', 'jsonl', 'ndjson'],
	detect,
	read,
};
