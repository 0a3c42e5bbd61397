/**
 * What is sent to Tiledesk for one conversation: the create-request body and the messages, built from the
 * normalized transcript model. Every message carries an explicit `sender` and `senderFullname` (the server would
 * otherwise name every line after the importing user), its original time as `attributes.clienttimestamp`, and its
 * import key, which makes re-runs and retries exactly-once.
 */
import type {CreateRequestInput, MessageInput} from '../tiledesk/api.js';
import type {Attachment, Conversation, Message} from '../model/transcript.js';
import {messageKey, senderFor} from './ids.js';
import type {ImportOptions} from './options.js';

/** The server's JSON body limit is 512 000 bytes; stay well under it for each `multi` call. */
export const MAX_BATCH_BYTES = 450_000;
const FIRST_TEXT_MAX = 500;
/** Placeholder of a real requester id's length (a UUID), used to size batches before the requester exists. */
export const REQUESTER_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

export interface PayloadContext {
	projectId: string;
	/** Source identity used in ids (the format id unless the user chose a name). */
	source: string;
	format: string;
	file: string;
	runId: string;
	/** The importing user's id (participants `me`). */
	userId: string;
	toolVersion: string;
	options: ImportOptions;
}

export function splitName(name: string | undefined): {firstname?: string; lastname?: string} {
	const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
	if (parts.length === 0) return {};
	if (parts.length === 1) return {firstname: parts[0]!};
	return {firstname: parts[0]!, lastname: parts.slice(1).join(' ')};
}

export function requesterName(conversation: Conversation): string {
	return conversation.requester.name?.trim() || conversation.requester.id;
}

export function anonymousInput(conversation: Conversation, ctx: PayloadContext): {firstname?: string; lastname?: string; email?: string; attributes: Record<string, unknown>} {
	const email = ctx.options.requesterEmail === 'keep' ? conversation.requester.email : undefined;
	return {
		...splitName(requesterName(conversation)),
		...(email ? {email} : {}),
		attributes: {imported: true, import_source: ctx.source, import_requester_id: conversation.requester.id},
	};
}

function firstText(conversation: Conversation): string {
	const first = conversation.messages[0];
	const text = first ? (first.text.trim() || attachmentLabel(first.attachments[0])) : '';
	const base = text || conversation.subject || `Imported conversation ${conversation.id}`;
	return base.length > FIRST_TEXT_MAX ? `${base.slice(0, FIRST_TEXT_MAX - 1)}…` : base;
}

export function createRequestInput(conversation: Conversation, requestId: string, requesterId: string, ctx: PayloadContext): CreateRequestInput {
	const o = ctx.options;
	const email = o.requesterEmail === 'keep' ? conversation.requester.email : undefined;
	const first = conversation.messages[0];
	const input: CreateRequestInput = {
		request_id: requestId,
		first_text: firstText(conversation),
		sender: requesterId,
		senderFullname: requesterName(conversation),
		...(email ? {email} : {}),
		...(conversation.subject ? {subject: conversation.subject} : {}),
		...(o.departmentId ? {departmentid: o.departmentId} : {}),
		...(o.channel ? {channel: {name: o.channel}} : {}),
		...(conversation.language ? {language: conversation.language} : {}),
		attributes: {
			imported: true,
			import_tool: ctx.toolVersion,
			import_run: ctx.runId,
			import_source: ctx.source,
			import_format: ctx.format,
			import_source_id: conversation.id,
			import_messages: conversation.messages.length,
			...(first?.timestamp !== undefined ? {original_created_at: new Date(first.timestamp).toISOString()} : {}),
			...(conversation.department ? {source_department: conversation.department} : {}),
			...(conversation.attributes ? {source_attributes: conversation.attributes} : {}),
		},
	};
	if (o.participants === 'me') input.participants = [ctx.userId];
	else if (o.participants === 'agent' && o.agentId) input.participants = [o.agentId];
	return input;
}

function attachmentLabel(a: Attachment | undefined): string {
	if (!a) return '';
	return `[Attachment: ${a.name ?? a.url ?? 'file'}${a.name && a.url ? ` — ${a.url}` : ''}]`;
}

export function messageInput(message: Message, index: number, requester: {id: string; name: string}, ctx: PayloadContext): MessageInput {
	const lines: string[] = [];
	if (message.private) lines.push('[Internal note]');
	if (message.text) lines.push(message.text);
	const single = message.attachments.length === 1 && !message.text ? message.attachments[0] : undefined;
	if (!single) for (const a of message.attachments) lines.push(attachmentLabel(a));
	const attributes: Record<string, unknown> = {
		clienttimestamp: message.clientTimestamp,
		import_key: messageKey(index),
		seq: index,
		imported: true,
		...(message.timestamp !== undefined ? {original_created_at: new Date(message.timestamp).toISOString()} : {timestamp_synthesized: true}),
		...(message.sourceId !== undefined ? {source_message_id: message.sourceId} : {}),
		...(message.role !== 'end-user' ? {source_sender_id: message.senderId, source_role: message.role} : {}),
		...(message.private ? {private_note: true} : {}),
		...(message.attachments.length > 0 ? {attachments: message.attachments} : {}),
		// Tiledesk's own info-message subtype: shown as a system line, and never triggers offline e-mails.
		...(message.role === 'system' ? {subtype: 'info'} : {}),
	};
	const input: MessageInput = {
		sender: senderFor(message, requester.id, ctx.source),
		senderFullname: message.senderName ?? (message.role === 'system' ? 'System' : message.role === 'end-user' ? requester.name : message.senderId),
		text: lines.join('\n'),
		type: 'text',
		status: ctx.options.messageStatus === 'live' ? 0 : 200,
		attributes,
	};
	if (single?.url) {
		const image = single.mimeType?.startsWith('image/') ?? /\.(png|jpe?g|gif|webp)$/i.test(single.name ?? single.url);
		input.type = image ? 'image' : 'file';
		input.text = single.name ?? single.url;
		input.metadata = {src: single.url, name: single.name ?? single.url, ...(single.mimeType ? {type: single.mimeType} : {}), ...(single.size !== undefined ? {size: single.size} : {})};
	} else if (single) {
		input.text = attachmentLabel(single);
	}
	return input;
}

/** Groups message indexes into `multi` calls: at most `batchSize` messages and MAX_BATCH_BYTES of JSON each. */
export function batches(inputs: readonly MessageInput[], indexes: readonly number[], batchSize: number, maxBytes = MAX_BATCH_BYTES): number[][] {
	const out: number[][] = [];
	let current: number[] = [];
	let bytes = 2;
	for (const i of indexes) {
		const size = Buffer.byteLength(JSON.stringify(inputs[i])) + 1;
		if (current.length > 0 && (current.length >= batchSize || bytes + size > maxBytes)) {
			out.push(current);
			current = [];
			bytes = 2;
		}
		current.push(i);
		bytes += size;
	}
	if (current.length > 0) out.push(current);
	return out;
}
