/**
 * Tidio messages export (CSV, one message per row; formats.md §16): `CONVERSATION_ID, THREAD_ID, TIME_SENT,
 * CHANNEL, SENDER, MESSAGE_CONTENT, NAME, FIRST_NAME, LAST_NAME, EMAIL, PHONE, OS_NAME, BROWSER`. Rows are read by
 * the native CSV machinery; `--map` overrides a preset column.
 *
 * SENDER automation → bot, visitor → end-user, operator → agent. NAME/EMAIL describe the contact (the visitor),
 * on every row: the visitor's sender id is the e-mail (else the name, e.g. an anonymous `#504b0`; a NAME holding an
 * e-mail is used as the e-mail); operators and automations have no identity in the export (`tidio-operator`,
 * `tidio-automation`). A row split by an unquoted comma inside MESSAGE_CONTENT (seen in real exports) is repaired
 * when the columns after the message then line up (EMAIL holds an address or is empty), with a warning; otherwise it
 * is reported like any malformed CSV row. Conversation id: `tidio:<CONVERSATION_ID>`.
 */
import type {DraftConversation, DraftMessage, ReadItem} from '../../model/draft.js';
import type {Role} from '../../model/transcript.js';
import {mapColumns} from '../native/csv-mapping.js';
import {readCsvRows} from '../native/csv.js';
import type {CsvField, Detection, FormatReader, Probe, ReadOptions} from '../types.js';
import {conversationId, findingItem} from './common.js';
import {cellAt, columnIndex, hasColumns, probeHeaders} from './csv-preset.js';

const PRESET: Partial<Record<CsvField, string>> = {
	conversationId: 'CONVERSATION_ID',
	timestamp: 'TIME_SENT',
	role: 'SENDER',
	text: 'MESSAGE_CONTENT',
	requesterName: 'NAME',
	requesterEmail: 'EMAIL',
};

const ROLES: Record<string, Role> = {automation: 'bot', bot: 'bot', visitor: 'end-user', contact: 'end-user', operator: 'agent'};

/**
 * Joins the extra fields of a row split by unquoted commas back into the text column, if the columns after it then
 * line up: EMAIL empty or an address, and NAME consistent with FIRST_NAME/LAST_NAME when those are filled.
 */
function repair(row: string[], width: number, at: {text: number; email?: number | undefined; name?: number | undefined; first?: number | undefined; last?: number | undefined}): string[] | undefined {
	const extra = row.length - width;
	if (extra <= 0) return undefined;
	const fixed = [...row.slice(0, at.text), row.slice(at.text, at.text + extra + 1).join(','), ...row.slice(at.text + extra + 1)];
	const cell = (i: number | undefined): string => (i === undefined || i < at.text ? '' : (fixed[i]?.trim() ?? ''));
	const email = cell(at.email);
	if (email !== '' && !email.includes('@')) return undefined;
	const name = cell(at.name).toLowerCase();
	const parts = [cell(at.first), cell(at.last)].filter((p) => p !== '');
	if (name !== '' && parts.length > 0 && !name.includes('@') && !parts.every((p) => name.includes(p.toLowerCase()))) return undefined;
	return fixed;
}

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	const file = path;
	// Rows are grouped per conversation until the end of the file (a conversation's rows need not be contiguous).
	const conversations = new Map<string, DraftConversation>();
	let headers: string[] | undefined;
	let columns: Partial<Record<CsvField, number>> = {};
	let extra: {first?: number; last?: number; channel?: number} = {};
	for await (const item of readCsvRows(path, {...options, keepRagged: true}, signal)) {
		if (item.kind === 'finding') {
			yield item;
			continue;
		}
		if (item.kind === 'header') {
			headers = item.headers;
			// Preset columns the file lacks are left to the checks below (optional ones simply stay unmapped).
			const present = Object.fromEntries(Object.entries(PRESET).filter(([, h]) => columnIndex(item.headers, h) !== undefined));
			const mapped = mapColumns(headers, {...present, ...options.columnMap});
			columns = mapped.columns;
			const missing = (['conversationId', 'text', 'role'] as const).filter((f) => columns[f] === undefined);
			if (missing.length > 0 || mapped.unknownExplicit.length > 0) {
				const names = [...missing.map((f) => (options.columnMap?.[f] ?? PRESET[f])!), ...mapped.unknownExplicit];
				yield findingItem({severity: 'error', code: 'missing-column', message: `Not a complete Tidio export: no column ${names.join(', ')}. Headers: ${headers.join(', ')}.`, location: {file, line: 1}});
				return;
			}
			extra = {first: columnIndex(headers, 'FIRST_NAME'), last: columnIndex(headers, 'LAST_NAME'), channel: columnIndex(headers, 'CHANNEL')};
			continue;
		}
		const location = {file, line: item.line};
		let row = item.row;
		if (row.length !== headers!.length) {
			const fixed = repair(row, headers!.length, {text: columns.text!, email: columns.requesterEmail, name: columns.requesterName, first: extra.first, last: extra.last});
			if (!fixed) {
				yield findingItem({
					severity: 'error',
					code: 'column-count',
					message: `Row has ${row.length} fields but the header has ${headers!.length} (an unquoted "," in a message?); the row is skipped.`,
					location,
				});
				continue;
			}
			yield findingItem({
				severity: 'warning',
				code: 'column-count',
				message: `Row has ${row.length} fields but the header has ${headers!.length}: an unquoted "," in ${headers![columns.text!]}; the extra fields were joined back into the message.`,
				location,
			});
			row = fixed;
		}
		const get = (field: CsvField): string | undefined => cellAt(row, columns[field]);
		const source = get('conversationId');
		if (!source) {
			yield findingItem({severity: 'error', code: 'missing-conversation-id', message: `Row has an empty "${headers![columns.conversationId!]}" column; the row is skipped.`, location});
			continue;
		}
		const id = conversationId('tidio', source.trim());
		const rawName = get('requesterName')?.trim();
		let email = get('requesterEmail')?.trim();
		let name = [cellAt(row, extra.first), cellAt(row, extra.last)].filter(Boolean).join(' ').trim() || rawName;
		if (!email && rawName?.includes('@')) email = rawName;
		if (name?.includes('@') && name === email) name = undefined;
		const sender = get('role')?.trim() ?? '';
		const role: Role | string = ROLES[sender.toLowerCase()] ?? sender;
		const message: DraftMessage = {location, text: get('text') ?? '', timestamp: get('timestamp') ?? null};
		if (role === 'end-user') {
			message.senderId = email ?? rawName ?? `${id}:visitor`;
			if (name) message.senderName = name;
		} else if (role === 'agent') {
			message.senderId = 'tidio-operator';
			message.senderName = 'Operator';
		} else if (role === 'bot') {
			message.senderId = 'tidio-automation';
			message.senderName = 'Automation';
		}
		if (role !== '') message.role = role;
		let draft = conversations.get(id);
		if (!draft) {
			draft = {id, messages: [], location};
			const channel = cellAt(row, extra.channel)?.trim();
			if (channel) draft.attributes = {tidioChannel: channel};
			conversations.set(id, draft);
		}
		const requesterId = email ?? rawName;
		if (!draft.requester && (requesterId || name || email)) draft.requester = {...(requesterId ? {id: requesterId} : {}), ...(name ? {name} : {}), ...(email ? {email} : {})};
		draft.messages.push(message);
	}
	if (!headers) return;
	for (const draft of conversations.values()) yield {kind: 'conversation', draft};
}

function detect(probe: Probe): Detection {
	const headers = probeHeaders(probe);
	if (hasColumns(headers, 'CONVERSATION_ID', 'TIME_SENT', 'SENDER', 'MESSAGE_CONTENT')) return {confidence: 0.9, reason: 'CSV header of a Tidio messages export'};
	return {confidence: 0, reason: 'no Tidio header'};
}

export const tidioReader: FormatReader = {
	id: 'tidio',
	label: 'Tidio messages export (CSV)',
	extensions: ['csv'],
	detect,
	read,
};
