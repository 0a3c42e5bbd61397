/**
 * Zendesk Support tickets with their comments. Accepted shapes (formats.md §4): a ticket with `comments[]`
 * (the admin JSON export, one per line), an array of them, an API page `{"tickets": […], "users": […]}` (also
 * search `{"results": […]}`), a ticket + comments pair `{"ticket": {…}, "comments": […], "users": […]}`, and a
 * comments page alone (its id is then the file name). Streams arrays, pages and JSON lines.
 *
 * Roles: sideloaded/embedded users decide (`role` end-user → end-user, agent/admin → agent); else the requester
 * (and `email_cc_ids`) → end-user, the assignee (and `follower_ids`) → agent, `author_id` -1 → system; any other
 * author is assumed an agent and reported (`role-assumed`). `public: false` comments are private notes
 * (`--private-notes`). Missing `created_at`: the first comment takes the ticket's, others are synthesized from
 * order by the normalizer; comments are never re-sorted (ids are not monotonic). A ticket without comments (an API
 * ticket page) imports its `description` as the requester's first message. Conversation id: `zendesk-support:<id>`.
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

interface User {
	name?: string;
	email?: string;
	role?: string;
}

/** Users by id: the file's sideloads, overlaid per ticket by its own sideloads and embedded user objects. */
class Users {
	private readonly own = new Map<string, User>();

	constructor(private readonly parent?: Users) {}

	get(id: string): User | undefined {
		return this.own.get(id) ?? this.parent?.get(id);
	}

	/** Adds a sideloaded `users` list. */
	addList(list: unknown): void {
		if (!Array.isArray(list)) return;
		for (const u of list) this.add(u);
	}

	/** Adds one user object (`requester`, `assignee`, `author`, a sideload); returns its id. */
	add(value: unknown, role?: string): string | undefined {
		if (!isRecord(value)) return undefined;
		const id = str(value['id']);
		if (!id) return undefined;
		const user: User = {...this.get(id)};
		const name = text(value['name']);
		const email = text(value['email']);
		const own = text(value['role']);
		if (name) user.name = name;
		if (email) user.email = email;
		if (own) user.role = own.toLowerCase();
		else if (role) user.role ??= role;
		this.own.set(id, user);
		return id;
	}
}

const ids = (value: unknown): Set<string> => new Set(Array.isArray(value) ? value.map((v) => str(v)).filter((v): v is string => v !== undefined) : []);

const zendeskAttachments = (value: unknown): Attachment[] =>
	attachmentsFrom(value, (a) => ({
		name: str(a['file_name']) ?? str(a['name']),
		url: a['deleted'] === true ? undefined : (str(a['content_url']) ?? str(a['mapped_content_url']) ?? str(a['url'])),
		mimeType: str(a['content_type']),
		size: num(a['size']),
	}));

function commentText(c: Record<string, unknown>): {text: string; images: Attachment[]} {
	for (const key of ['body', 'plain_body', 'html_body']) {
		const value = c[key];
		if (typeof value === 'string' && value.trim() !== '') return bodyText(value);
	}
	return {text: '', images: []};
}

function ticketToDraft(record: JsonRecord, index: number, fileUsers: Users, options: ReadOptions, file: string): {draft?: DraftConversation; findings: Finding[]} {
	const findings: Finding[] = [];
	const value = record.value;
	if (!isRecord(value)) {
		return {findings: [{severity: 'warning', code: 'invalid-record', message: `${record.path} is not an object (expected a Zendesk ticket); skipped.`, location: record.location}]};
	}
	const pair = isRecord(value['ticket']);
	const ticket = pair ? (value['ticket'] as Record<string, unknown>) : value;
	const ticketAt: Segment[] = pair ? ['ticket'] : [];
	let comments: unknown = value['comments'];
	let commentsAt: Segment[] = ['comments'];
	if (pair && !Array.isArray(comments)) {
		comments = ticket['comments'];
		commentsAt = ['ticket', 'comments'];
	}
	const commentsOnly = !pair && Array.isArray(comments) && ticket['id'] === undefined && ticket['subject'] === undefined && ticket['requester_id'] === undefined;
	if (!pair && !commentsOnly && ticket['id'] === undefined && !Array.isArray(comments)) {
		return {findings: [{severity: 'warning', code: 'invalid-record', message: `${record.path} is not a Zendesk ticket (no "id", "comments" or "ticket"); skipped.`, location: record.location}]};
	}

	const sourceId = str(ticket['id']);
	const id = sourceId ? conversationId('zendesk-support', sourceId) : conversationId('zendesk-support', commentsOnly ? fileStem(file) : `${fileStem(file)}#${index}`);
	if (!sourceId) {
		findings.push(info('missing-conversation-id', `${record.path} has no ticket id; the conversation id is "${id}" (from the file name).`, record.location, id));
	}

	const users = new Users(fileUsers);
	users.addList(value['users']);
	const requesterId = users.add(ticket['requester'], 'end-user') ?? str(ticket['requester_id']);
	const assigneeId = users.add(ticket['assignee'], 'agent') ?? str(ticket['assignee_id']);
	users.add(ticket['submitter']);
	const ccs = ids(ticket['email_cc_ids']);
	const followers = ids(ticket['follower_ids']);

	const assumed = new Set<string>();
	const roleOf = (authorId: string | undefined): Role => {
		if (authorId === '-1') return 'system';
		const user = authorId ? users.get(authorId) : undefined;
		if (listed(options.bots, authorId, user?.name, user?.email)) return 'bot';
		if (listed(options.agents, authorId, user?.name, user?.email)) return 'agent';
		if (user?.role === 'end-user') return 'end-user';
		if (user?.role === 'agent' || user?.role === 'admin') return 'agent';
		if (authorId !== undefined && authorId === requesterId) return 'end-user';
		if (authorId !== undefined && ccs.has(authorId)) return 'end-user';
		if (authorId !== undefined && (authorId === assigneeId || followers.has(authorId))) return 'agent';
		assumed.add(authorId ?? '(none)');
		return 'agent';
	};

	const notes = new PrivateNotes(options);
	const messages: DraftMessage[] = [];
	// E-mail tickets name the requester in the comment's `via.source.from` when users are not sideloaded.
	const fromRequester: {name?: string | undefined; email?: string | undefined} = {};
	if (Array.isArray(comments)) {
		comments.forEach((c, j) => {
			const location = record.at([...commentsAt, j]);
			if (!isRecord(c)) {
				findings.push({severity: 'warning', code: 'invalid-record', conversationId: id, message: `${location.path} is not an object; skipped.`, location});
				return;
			}
			if (c['public'] === false && !notes.keep()) return;
			const author = isRecord(c['author']) ? c['author'] : undefined;
			const authorId = str(c['author_id']) ?? (author ? str(author['id']) : undefined);
			if (author && authorId) users.add(author);
			const {text: body, images} = commentText(c);
			const message: DraftMessage = {location, role: roleOf(authorId), text: body};
			const cid = str(c['id']);
			if (cid) message.sourceId = cid;
			const user = authorId ? users.get(authorId) : undefined;
			const via = isRecord(c['via']) && isRecord(c['via']['source']) && isRecord(c['via']['source']['from']) ? c['via']['source']['from'] : undefined;
			const name = user?.name ?? (via ? text(via['name']) : undefined);
			if (via && authorId !== undefined && authorId === requesterId) {
				fromRequester.name ??= text(via['name']);
				fromRequester.email ??= text(via['address']);
			}
			message.senderId = message.role === 'system' ? 'zendesk' : (authorId ?? user?.email ?? (via ? text(via['address']) : undefined) ?? '');
			if (name) message.senderName = name;
			const created = c['created_at'];
			message.timestamp = typeof created === 'string' || typeof created === 'number' ? created : j === 0 ? (str(ticket['created_at']) ?? null) : null;
			const attachments = withImages(zendeskAttachments(c['attachments']), images);
			if (attachments.length > 0) message.attachments = attachments;
			if (c['public'] === false) message.private = true;
			messages.push(message);
		});
	} else {
		const description = str(ticket['description']);
		const location = record.at([...ticketAt, 'description']);
		findings.push(info('skipped-record', `Ticket has no comments in this export: only its description is imported (export tickets with comments, e.g. the JSON data export or /tickets/{id}/comments).`, location, id));
		if (description) {
			const message: DraftMessage = {location, role: 'end-user', senderId: requesterId ?? 'requester', text: bodyText(description).text, timestamp: str(ticket['created_at']) ?? null};
			const name = requesterId ? users.get(requesterId)?.name : undefined;
			if (name) message.senderName = name;
			messages.push(message);
		}
	}

	const notesFinding = notes.finding(id, record.location);
	if (notesFinding) findings.push(notesFinding);
	if (assumed.size > 0) {
		const list = [...assumed].slice(0, 5).join(', ');
		findings.push(
			info('role-assumed', `Comment author(s) ${list}${assumed.size > 5 ? ' …' : ''} are neither the requester nor a known user: assumed agents (export with sideloaded users, or use --agents).`, record.location, id),
		);
	}

	const draft: DraftConversation = {id, messages, location: record.location};
	if (requesterId) {
		const r = users.get(requesterId);
		const name = r?.name ?? fromRequester.name;
		const email = r?.email ?? fromRequester.email;
		draft.requester = {id: requesterId, ...(name ? {name} : {}), ...(email ? {email} : {})};
	}
	const subject = text(ticket['subject']) ?? text(ticket['raw_subject']);
	if (subject) draft.subject = subject;
	const attributes: Record<string, unknown> = {};
	if (text(ticket['status'])) attributes['zendeskStatus'] = text(ticket['status']);
	if (Array.isArray(ticket['tags']) && ticket['tags'].length > 0) attributes['zendeskTags'] = ticket['tags'];
	const channel = isRecord(ticket['via']) ? text(ticket['via']['channel']) : undefined;
	if (channel) attributes['zendeskChannel'] = channel;
	if (Object.keys(attributes).length > 0) draft.attributes = attributes;
	return {draft, findings};
}

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	const fileUsers = new Users();
	let index = 0;
	for await (const item of readJsonRecords(path, {wrappers: ['tickets', 'results'], sideloads: ['users'], ...(signal ? {signal} : {})})) {
		if (signal?.aborted) return;
		if (item.kind === 'finding') yield item;
		else if (item.kind === 'sideload') fileUsers.addList(item.values);
		else {
			const {draft, findings} = ticketToDraft(item.record, index++, fileUsers, options, path);
			for (const f of findings) yield findingItem(f);
			if (draft) yield {kind: 'conversation', draft};
		}
	}
}

function detect(probe: Probe): Detection {
	const t = probe.headText;
	const start = jsonStart(t);
	if (!start) return {confidence: 0, reason: 'not JSON'};
	const comments = /"comments"\s*:\s*\[/.test(t);
	if (comments && /"author_id"\s*:/.test(t) && /"public"\s*:\s*(true|false)/.test(t)) {
		return {confidence: 0.9, reason: 'tickets with comments[] (author_id, public): Zendesk Support'};
	}
	const zendeskTicket = /"requester_id"\s*:/.test(t) && (/"submitter_id"\s*:/.test(t) || /"raw_subject"\s*:/.test(t) || /\.zendesk\.com\/api\/v2\/tickets\//.test(t));
	if (zendeskTicket) return {confidence: 0.85, reason: 'Zendesk tickets (requester_id, submitter_id/raw_subject)'};
	if (/"role"\s*:\s*"(end-user|agent|admin)"/.test(t) && /"email"\s*:/.test(t) && /\.zendesk\.com\/api\/v2\/users\//.test(t) && !comments) {
		return {
			confidence: 0.85,
			reason: 'Zendesk users export',
			unsupported: 'This is a Zendesk users export (people, not conversations). Export tickets with their comments instead (Admin Center → Account → Tools → Reports → Export, JSON), or the API pages /tickets.json with /tickets/{id}/comments.json.',
		};
	}
	return {confidence: 0, reason: 'no Zendesk ticket comments'};
}

export const zendeskSupportReader: FormatReader = {
	id: 'zendesk-support',
	label: 'Zendesk Support tickets',
	extensions: ['json', 'jsonl', 'ndjson'],
	detect,
	read,
};
