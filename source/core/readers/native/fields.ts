/** Field access shared by the JSON and JSONL readers: the model's names plus a few obvious aliases. */
import type {Attachment} from '../../model/transcript.js';
import type {DraftConversation, DraftMessage} from '../../model/draft.js';
import type {SourceLocation} from '../../model/transcript.js';

type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pick(o: Obj, ...names: string[]): unknown {
	for (let i = 0; i < names.length; i++) {
		const v = o[names[i]!];
		if (v !== undefined && v !== null) return v;
	}
	return undefined;
}

export function str(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

/** A problem with a field: path and human reason. */
export interface FieldProblem {
	path: string;
	reason: string;
}

export function toDraftMessage(o: Obj, location: SourceLocation, path: string, problems: FieldProblem[]): DraftMessage {
	// `a ?? b ?? …` is pick(o, 'a', 'b', …) (the first value neither undefined nor null), written out because named
	// property reads are much faster than pick's computed ones, and this runs for every message of a file.
	const text = o['text'] ?? o['message'] ?? o['body'] ?? o['content'] ?? undefined;
	if (text !== undefined && typeof text !== 'string') problems.push({path: `${path}.text`, reason: `text must be a string, got ${typeof text}`});
	const timestamp = o['timestamp'] ?? o['time'] ?? o['date'] ?? o['createdAt'] ?? o['created_at'] ?? o['sentAt'] ?? o['sent_at'] ?? undefined;
	const message: DraftMessage = {location};
	const sourceId = str(o['id'] ?? o['messageId'] ?? o['message_id']);
	if (sourceId !== undefined) message.sourceId = sourceId;
	const senderId = str(o['senderId'] ?? o['sender_id'] ?? o['sender'] ?? o['from'] ?? o['author']);
	if (senderId !== undefined) message.senderId = senderId;
	const senderName = str(o['senderName'] ?? o['sender_name'] ?? o['name'] ?? o['authorName']);
	if (senderName !== undefined) message.senderName = senderName;
	const role = str(o['role'] ?? o['type'] ?? o['direction']);
	if (role !== undefined) message.role = role;
	if (typeof text === 'string') message.text = text;
	if (typeof timestamp === 'string' || typeof timestamp === 'number') message.timestamp = timestamp;
	else if (timestamp !== undefined) problems.push({path: `${path}.timestamp`, reason: `timestamp must be a string or a number`});
	const attachments = o['attachments'];
	if (Array.isArray(attachments)) {
		message.attachments = attachments.filter(isObject).map((a): Attachment => {
			const att: Attachment = {};
			const name = str(pick(a, 'name', 'filename'));
			const url = str(pick(a, 'url', 'href'));
			const mimeType = str(pick(a, 'mimeType', 'mime_type', 'contentType', 'type'));
			if (name) att.name = name;
			if (url) att.url = url;
			if (mimeType) att.mimeType = mimeType;
			if (typeof a['size'] === 'number') att.size = a['size'];
			return att;
		});
	} else if (attachments !== undefined) problems.push({path: `${path}.attachments`, reason: 'attachments must be an array'});
	if (o['private'] === true) message.private = true;
	return message;
}

export function toDraftConversationHeader(o: Obj, location: SourceLocation): DraftConversation {
	const draft: DraftConversation = {messages: [], location};
	const id = str(pick(o, 'id', 'conversationId', 'conversation_id'));
	if (id !== undefined) draft.id = id;
	const requester = o['requester'];
	if (isObject(requester)) {
		draft.requester = {};
		const rid = str(pick(requester, 'id'));
		const name = str(pick(requester, 'name'));
		const email = str(pick(requester, 'email'));
		if (rid) draft.requester.id = rid;
		if (name) draft.requester.name = name;
		if (email) draft.requester.email = email;
	}
	for (const key of ['subject', 'department', 'language'] as const) {
		const v = str(o[key]);
		if (v !== undefined) draft[key] = v;
	}
	if (isObject(o['attributes'])) draft.attributes = o['attributes'];
	return draft;
}

export function conversationIdOf(o: Obj): string | undefined {
	return str(o['conversationId'] ?? o['conversation_id'] ?? o['conversation'] ?? o['ticketId'] ?? o['ticket_id'] ?? o['chatId'] ?? o['chat_id']);
}
