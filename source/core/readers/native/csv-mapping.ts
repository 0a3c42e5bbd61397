/** CSV column mapping: guessed from common header names, or given explicitly (`--map field=column,…`). */
import {CSV_FIELDS, type CsvField} from '../types.js';

const GUESSES: Record<CsvField, string[]> = {
	conversationId: ['conversation id', 'conversationid', 'conversation_id', 'conversation', 'ticket id', 'ticket_id', 'ticketid', 'ticket', 'chat id', 'chat_id', 'chatid', 'thread id', 'thread_id', 'session id'],
	messageId: ['message id', 'message_id', 'messageid', 'msg id'],
	timestamp: ['timestamp', 'time', 'date', 'datetime', 'sent', 'sent at', 'sent_at', 'time sent', 'time_sent', 'created at', 'created_at', 'createdat'],
	senderId: ['sender id', 'sender_id', 'senderid', 'sender', 'author', 'author id', 'author_id', 'from', 'user', 'user id'],
	senderName: ['sender name', 'sender_name', 'sendername', 'author name', 'author_name', 'name', 'from name'],
	role: ['role', 'type', 'direction', 'sender type', 'sender_type', 'author type', 'author_type'],
	text: ['text', 'message', 'body', 'content', 'message content', 'message_content', 'msg'],
	requesterName: ['requester name', 'requester_name', 'customer name', 'customer_name', 'visitor name'],
	requesterEmail: ['email', 'e-mail', 'requester email', 'requester_email', 'customer email', 'customer_email'],
	subject: ['subject', 'title', 'topic'],
	attachmentUrl: ['attachment', 'attachment url', 'attachment_url', 'file url', 'file_url'],
};

function norm(header: string): string {
	return header.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}

/** Column index per field: explicit mapping first, then guesses. Each column is used for one field at most. */
export function mapColumns(headers: string[], explicit: Partial<Record<CsvField, string>> = {}): {
	columns: Partial<Record<CsvField, number>>;
	unknownExplicit: string[];
} {
	const normalized = headers.map(norm);
	const used = new Set<number>();
	const columns: Partial<Record<CsvField, number>> = {};
	const unknownExplicit: string[] = [];
	for (const [field, header] of Object.entries(explicit) as [CsvField, string][]) {
		const i = normalized.indexOf(norm(header));
		if (i < 0) unknownExplicit.push(`${field}=${header}`);
		else {
			columns[field] = i;
			used.add(i);
		}
	}
	for (const field of CSV_FIELDS) {
		if (columns[field] !== undefined || explicit[field] !== undefined) continue;
		for (const guess of GUESSES[field]) {
			const i = normalized.indexOf(norm(guess));
			if (i >= 0 && !used.has(i)) {
				columns[field] = i;
				used.add(i);
				break;
			}
		}
	}
	return {columns, unknownExplicit};
}

/** Parses `field=column,field=column`; throws an Error with a human message on bad syntax or an unknown field. */
export function parseMapFlag(value: string): Partial<Record<CsvField, string>> {
	const out: Partial<Record<CsvField, string>> = {};
	for (const part of value.split(',')) {
		if (part.trim() === '') continue;
		const eq = part.indexOf('=');
		if (eq <= 0) throw new Error(`--map expects field=column pairs separated by commas, got "${part}"`);
		const field = part.slice(0, eq).trim() as CsvField;
		if (!CSV_FIELDS.includes(field)) throw new Error(`--map: unknown field "${field}" (fields: ${CSV_FIELDS.join(', ')})`);
		out[field] = part.slice(eq + 1).trim();
	}
	return out;
}

/** The delimiter of a header line: the most frequent of `,` `;` tab outside quotes. */
export function guessDelimiter(headerLine: string): string {
	let best = ',';
	let bestCount = 0;
	for (const d of [',', ';', '\t', '|']) {
		let count = 0;
		let quoted = false;
		for (const ch of headerLine) {
			if (ch === '"') quoted = !quoted;
			else if (ch === d && !quoted) count++;
		}
		if (count > bestCount) {
			best = d;
			bestCount = count;
		}
	}
	return best;
}
