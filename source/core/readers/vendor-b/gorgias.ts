/**
 * Gorgias CSV export (formats.md §16): a tickets file (`Ticket id, Subject, Creation date, Closed date, Assignee
 * name/email, Customer email/name, …`) and a messages file (`id` = the ticket id, `subject`, `body_text`,
 * `sent_datetime`, `customer_id`, `sender_info` = a JSON object in a cell), joined on the ticket id. Either file may
 * be given; the other is `ReadOptions.companionFiles[0]` or found next to it (a CSV in the same folder whose header
 * is the other half). Without the tickets file the messages are imported alone (subjects from the messages); a
 * tickets file without its messages is an error naming what to pass.
 *
 * Roles: `--agents`/`--bots`; a `from_agent` column when present; the sender's e-mail equal to the ticket's
 * customer e-mail (names differ between the files: "Bessie Berry" vs "BERRY Bessie") or the sender's id equal to
 * `customer_id` → end-user; otherwise agent. Rows are not chronological: messages are sorted by `sent_datetime`
 * within a ticket (stable; zone-less times read in --timezone). Quoted e-mail history under "On … wrote:" is cut
 * from `body_text`. A `channel` of `internal-note` is a private note. Conversation id: `gorgias:<ticket id>`.
 */
import {readdir} from 'node:fs/promises';
import {dirname, extname, join, resolve} from 'node:path';
import type {DraftConversation, DraftMessage, ReadItem} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {Role, SourceLocation} from '../../model/transcript.js';
import {readCsvRows} from '../native/csv.js';
import type {Detection, FormatReader, Probe, ReadOptions} from '../types.js';
import {isRecord, str} from '../vendor-a/json-file.js';
import {conversationId, findingItem, info, listed, text} from './common.js';
import {cellAt, columnIndex, csvHeaders, hasColumns, probeHeaders} from './csv-preset.js';
import {bodyText} from './html.js';
import {PrivateNotes} from './notes.js';
import {stripQuotedHistory} from './quoted.js';

const isTicketsHeader = (h: string[]): boolean => hasColumns(h, 'Ticket id') && (hasColumns(h, 'Customer email') || hasColumns(h, 'Assignee email'));
const isMessagesHeader = (h: string[]): boolean => hasColumns(h, 'id', 'body_text', 'sent_datetime') && (hasColumns(h, 'sender_info') || hasColumns(h, 'customer_id'));

interface Ticket {
	subject?: string;
	customerEmail?: string;
	customerName?: string;
	assignee?: string;
	created?: string;
	location: SourceLocation;
}

interface Sender {
	id?: string;
	email?: string;
	name?: string;
}

interface Row {
	ticket: string;
	line: number;
	sent?: string;
	subject?: string;
	body: string;
	sender: Sender;
	customerId?: string;
	fromAgent?: boolean;
	internal: boolean;
}

/** `sender_info`: JSON, or the Python-dict form some exports write (`{'email': 'a@b', 'id': 1}`). */
function parseSender(cell: string | undefined): Sender | undefined {
	if (!cell) return {};
	let value: unknown;
	try {
		value = JSON.parse(cell);
	} catch {
		try {
			value = JSON.parse(cell.replace(/'/g, '"').replace(/\bNone\b/g, 'null').replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false'));
		} catch {
			const email = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(cell)?.[0];
			return email ? {email} : undefined;
		}
	}
	if (!isRecord(value)) return undefined;
	const sender: Sender = {};
	const id = str(value['id']);
	const email = text(value['email']);
	const name = text(value['name']) ?? ([text(value['firstname']), text(value['lastname'])].filter(Boolean).join(' ') || undefined);
	if (id) sender.id = id;
	if (email) sender.email = email;
	if (name) sender.name = name;
	return sender;
}

const sortKey = (sent: string | undefined): string => (sent ?? '\uffff').trim().replace('T', ' ');

/** The other half of the export: `companionFiles[0]`, else a CSV in the same folder whose header matches. */
async function findCompanion(path: string, wanted: (h: string[]) => boolean, options: ReadOptions): Promise<{path?: string; finding?: Finding}> {
	const given = options.companionFiles?.[0];
	if (given) {
		const headers = await csvHeaders(given);
		if (!headers) return {finding: {severity: 'error', code: 'unreadable-file', message: `Cannot read the companion file ${given}.`, location: {file: given}}};
		if (!wanted(headers)) return {finding: {severity: 'error', code: 'missing-column', message: `${given} is not the other half of a Gorgias export (headers: ${headers.join(', ')}).`, location: {file: given, line: 1}}};
		return {path: given};
	}
	const dir = dirname(path);
	let names: string[];
	try {
		names = await readdir(dir);
	} catch {
		return {};
	}
	const candidates = names
		.filter((n) => ['.csv', '.tsv'].includes(extname(n).toLowerCase()) && resolve(dir, n) !== resolve(path))
		.sort((a, b) => Number(/message|conversation|ticket/i.test(b)) - Number(/message|conversation|ticket/i.test(a)) || a.localeCompare(b));
	for (const name of candidates) {
		const headers = await csvHeaders(join(dir, name));
		if (headers && wanted(headers)) return {path: join(dir, name)};
	}
	return {};
}

async function* readTickets(path: string, options: ReadOptions, tickets: Map<string, Ticket>, signal?: AbortSignal): AsyncGenerator<ReadItem> {
	let col: Record<string, number | undefined> = {};
	for await (const item of readCsvRows(path, options, signal)) {
		if (item.kind === 'finding') yield item;
		else if (item.kind === 'header') {
			const h = item.headers;
			col = {
				id: columnIndex(h, 'Ticket id'),
				subject: columnIndex(h, 'Subject'),
				email: columnIndex(h, 'Customer email'),
				name: columnIndex(h, 'Customer name'),
				assignee: columnIndex(h, 'Assignee name', 'Assignee email'),
				created: columnIndex(h, 'Creation date', 'Created datetime'),
			};
		} else {
			const id = cellAt(item.row, col['id'])?.trim();
			if (!id) continue;
			const ticket: Ticket = {location: {file: path, line: item.line}};
			const set = (key: Exclude<keyof Ticket, 'location'>, column: string): void => {
				const v = cellAt(item.row, col[column])?.trim();
				if (v) ticket[key] = v;
			};
			set('subject', 'subject');
			set('customerEmail', 'email');
			set('customerName', 'name');
			set('assignee', 'assignee');
			set('created', 'created');
			tickets.set(id, ticket);
		}
	}
}

async function* readMessages(path: string, options: ReadOptions, rows: Map<string, Row[]>, signal?: AbortSignal): AsyncGenerator<ReadItem> {
	let col: Record<string, number | undefined> = {};
	for await (const item of readCsvRows(path, options, signal)) {
		if (item.kind === 'finding') {
			yield item;
			continue;
		}
		if (item.kind === 'header') {
			const h = item.headers;
			col = {
				id: columnIndex(h, 'id', 'ticket_id'),
				subject: columnIndex(h, 'subject'),
				body: columnIndex(h, 'stripped_text', 'body_text'),
				html: columnIndex(h, 'body_html'),
				sent: columnIndex(h, 'sent_datetime', 'created_datetime'),
				customer: columnIndex(h, 'customer_id'),
				sender: columnIndex(h, 'sender_info', 'sender'),
				fromAgent: columnIndex(h, 'from_agent'),
				channel: columnIndex(h, 'channel'),
			};
			continue;
		}
		const location = {file: path, line: item.line};
		const ticket = cellAt(item.row, col['id'])?.trim();
		if (!ticket) {
			yield findingItem({severity: 'error', code: 'missing-conversation-id', message: 'Message row has an empty "id" (the ticket id); the row is skipped.', location});
			continue;
		}
		const senderCell = cellAt(item.row, col['sender']);
		let sender = parseSender(senderCell);
		if (!sender) {
			yield findingItem({severity: 'warning', code: 'invalid-record', conversationId: conversationId('gorgias', ticket), message: 'sender_info is not a JSON object; the sender is unknown.', location});
			sender = {};
		}
		const plain = cellAt(item.row, col['body']);
		const html = cellAt(item.row, col['html']);
		const body = plain !== undefined ? stripQuotedHistory(plain) : html !== undefined ? bodyText(html).text : '';
		const row: Row = {ticket, line: item.line, body, sender, internal: cellAt(item.row, col['channel'])?.trim() === 'internal-note'};
		const sent = cellAt(item.row, col['sent'])?.trim();
		if (sent) row.sent = sent;
		const subject = cellAt(item.row, col['subject'])?.trim();
		if (subject) row.subject = subject;
		const customerId = cellAt(item.row, col['customer'])?.trim();
		if (customerId) row.customerId = customerId;
		const fromAgent = cellAt(item.row, col['fromAgent'])?.trim().toLowerCase();
		if (fromAgent !== undefined) row.fromAgent = ['true', '1', 'yes'].includes(fromAgent);
		const list = rows.get(ticket) ?? [];
		list.push(row);
		rows.set(ticket, list);
	}
}

function toDraft(ticketId: string, list: Row[], ticket: Ticket | undefined, messagesPath: string, options: ReadOptions): {draft: DraftConversation; findings: Finding[]; reordered: boolean} {
	const id = conversationId('gorgias', ticketId);
	const findings: Finding[] = [];
	const sorted = list.map((r, i) => ({r, i})).sort((a, b) => (sortKey(a.r.sent) < sortKey(b.r.sent) ? -1 : sortKey(a.r.sent) > sortKey(b.r.sent) ? 1 : a.i - b.i));
	const reordered = sorted.some((s, k) => s.i !== k);
	const customerEmail = ticket?.customerEmail?.toLowerCase();
	const customerId = list.find((r) => r.customerId)?.customerId;
	let assumed = false;
	const firstSender = sorted[0]?.r.sender;
	const roleOf = (r: Row): Role | undefined => {
		const s = r.sender;
		if (listed(options.bots, s.id, s.email, s.name)) return 'bot';
		if (listed(options.agents, s.id, s.email, s.name)) return 'agent';
		if (r.fromAgent !== undefined) return r.fromAgent ? 'agent' : 'end-user';
		// A sender without e-mail or id (unreadable sender_info) is left without a role: the normalizer reports it.
		if (!s.email && !s.id) return undefined;
		if (customerEmail && s.email) return s.email.toLowerCase() === customerEmail ? 'end-user' : 'agent';
		if (customerId && s.id) return s.id === customerId ? 'end-user' : 'agent';
		if (customerEmail || customerId) return 'agent';
		// Nothing identifies the customer: the sender of the first message is assumed to be the customer.
		assumed = true;
		const same = (firstSender?.email && firstSender.email === s.email) || (firstSender?.id && firstSender.id === s.id);
		return same ? 'end-user' : 'agent';
	};
	const roles = sorted.map(({r}) => roleOf(r));
	const notes = new PrivateNotes(options);
	const messages: DraftMessage[] = [];
	sorted.forEach(({r}, k) => {
		if (r.internal && !notes.keep()) return;
		const role = roles[k];
		const message: DraftMessage = {location: {file: messagesPath, line: r.line}, text: r.body, timestamp: r.sent ?? null};
		if (role) message.role = role;
		message.senderId = r.sender.id ?? r.sender.email ?? '';
		const name = role === 'end-user' && ticket?.customerName ? ticket.customerName : r.sender.name;
		if (name) message.senderName = name;
		if (r.internal) message.private = true;
		messages.push(message);
	});
	const location: SourceLocation = ticket?.location ?? {file: messagesPath, line: list[0]!.line};
	const notesFinding = notes.finding(id, location);
	if (notesFinding) findings.push(notesFinding);
	if (assumed) findings.push(info('role-assumed', 'Neither a customer e-mail (tickets file) nor customer_id identifies the customer: the sender of the first message is assumed to be the customer.', location, id));
	const draft: DraftConversation = {id, messages, location};
	const endUser = sorted.find((_, k) => roles[k] === 'end-user')?.r.sender;
	const requesterId = customerId ?? endUser?.id ?? ticket?.customerEmail ?? endUser?.email;
	const requesterName = ticket?.customerName ?? endUser?.name;
	const requesterEmail = ticket?.customerEmail ?? endUser?.email;
	if (requesterId || requesterEmail) draft.requester = {...(requesterId ? {id: requesterId} : {}), ...(requesterName ? {name: requesterName} : {}), ...(requesterEmail ? {email: requesterEmail} : {})};
	const subject = ticket?.subject ?? list.find((r) => r.subject)?.subject;
	if (subject) draft.subject = subject;
	if (ticket?.assignee) draft.attributes = {gorgiasAssignee: ticket.assignee};
	return {draft, findings, reordered};
}

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	const headers = await csvHeaders(path);
	if (!headers || (!isTicketsHeader(headers) && !isMessagesHeader(headers))) {
		yield findingItem({
			severity: 'error',
			code: 'missing-column',
			message: `${path} is neither the tickets nor the messages file of a Gorgias export (expected "Ticket id, Customer email, …" or "id, body_text, sent_datetime, sender_info, …").`,
			location: {file: path, line: 1},
		});
		return;
	}
	const isTickets = isTicketsHeader(headers);
	const companion = await findCompanion(path, isTickets ? isMessagesHeader : isTicketsHeader, options);
	if (companion.finding) {
		yield findingItem(companion.finding);
		return;
	}
	const ticketsPath = isTickets ? path : companion.path;
	const messagesPath = isTickets ? companion.path : path;
	if (!messagesPath) {
		yield findingItem({
			severity: 'error',
			code: 'missing-column',
			message: `${path} is the tickets file of a Gorgias export; its messages file (header "id, subject, body_text, sent_datetime, customer_id, sender_info") is not in the same folder: put it next to it or name it as the companion file.`,
			location: {file: path, line: 1},
		});
		return;
	}
	const tickets = new Map<string, Ticket>();
	if (ticketsPath) yield* readTickets(ticketsPath, options, tickets, signal);
	else yield findingItem(info('unreadable-file', `No Gorgias tickets file next to ${path}: subjects come from the messages and customers from customer_id; pass the tickets file as the companion file for names and e-mails.`, {file: path, line: 1}));
	const rows = new Map<string, Row[]>();
	yield* readMessages(messagesPath, options, rows, signal);
	if (signal?.aborted) return;
	let reordered = 0;
	const order = [...tickets.keys(), ...[...rows.keys()].filter((k) => !tickets.has(k))];
	let withoutMessages = 0;
	for (const ticketId of order) {
		const list = rows.get(ticketId);
		if (!list) {
			withoutMessages++;
			continue;
		}
		const ticket = tickets.get(ticketId);
		const {draft, findings, reordered: moved} = toDraft(ticketId, list, ticket, messagesPath, options);
		if (moved) reordered++;
		for (const f of findings) yield findingItem(f);
		yield {kind: 'conversation', draft};
	}
	if (withoutMessages > 0) yield findingItem(info('empty-conversation', `${withoutMessages} ticket(s) of ${ticketsPath} have no messages in ${messagesPath}; skipped.`, {file: ticketsPath!}));
	if (reordered > 0) yield findingItem(info('timestamp-out-of-order', `${reordered} ticket(s) had their message rows out of time order; messages are sorted by sent_datetime.`, {file: messagesPath}));
}

function detect(probe: Probe): Detection {
	const headers = probeHeaders(probe);
	if (isTicketsHeader(headers)) return {confidence: 0.9, reason: 'CSV header of a Gorgias tickets export (joined with its messages file)'};
	if (isMessagesHeader(headers)) return {confidence: 0.9, reason: 'CSV header of a Gorgias messages export (id, body_text, sent_datetime, sender_info)'};
	return {confidence: 0, reason: 'no Gorgias header'};
}

export const gorgiasReader: FormatReader = {
	id: 'gorgias',
	label: 'Gorgias tickets + messages (CSV)',
	extensions: ['csv'],
	detect,
	read,
};
