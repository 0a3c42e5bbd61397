/**
 * WhatsApp "Export chat": a `.txt` (Android `WhatsApp Chat with X.txt`, iOS `_chat.txt`) or the `.zip` holding it
 * next to the media. One file is one conversation. Timestamps are the phone's wall-clock time without a zone:
 * emitted as `{local}` and interpreted by the normalizer in `options.timezone`.
 *
 * Conversation id: `whatsapp:` + the first 16 hex digits of SHA-256 over the first dated line and the sorted
 * participant names. The file name is left out on purpose, so the same chat read from the `.zip`, from the
 * extracted `_chat.txt`, or after a rename keeps its id (and a re-import stays idempotent).
 */
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {basename} from 'node:path';
import type {DraftConversation, DraftMessage, ReadItem} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {Detection, FormatReader, Probe, ReadOptions} from '../types.js';
import {unreadable} from './json-file.js';
import {describeOrder, inferDateOrder, toLocalTime, DEFAULT_DATE_ORDER, type DateOrder} from './whatsapp-dates.js';
import {WHATSAPP_LINE} from './whatsapp-line.js';
import {assignRoles, type Participant} from './whatsapp-roles.js';
import {scanChat, type ChatSource, type RawChat} from './whatsapp-scan.js';
import {isZipFile, openZip, zipErrorReason, type ZipArchive} from './zip.js';

/** The chat text inside an export ZIP: iOS `_chat.txt`, Android `WhatsApp Chat with X.txt` (any language). */
export function findChatEntry(names: string[]): string | undefined {
	return (
		names.find((n) => basename(n) === '_chat.txt') ??
		names.find((n) => /^WhatsApp.*\.txt$/i.test(basename(n))) ??
		(names.filter((n) => n.toLowerCase().endsWith('.txt')).length === 1 ? names.find((n) => n.toLowerCase().endsWith('.txt')) : undefined)
	);
}

type Opened = {ok: true; source: ChatSource; close(): void} | {ok: false; finding: Finding};

async function openChat(path: string): Promise<Opened> {
	if (await isZipFile(path)) {
		let zip: ZipArchive;
		try {
			zip = await openZip(path);
		} catch (error) {
			return {ok: false, finding: {severity: 'error', code: 'unreadable-file', message: `Cannot open ${path}: ${zipErrorReason(error)}.`, location: {file: path}}};
		}
		const entry = findChatEntry(zip.names);
		if (!entry) {
			zip.close();
			return {
				ok: false,
				finding: {
					severity: 'error',
					code: 'unknown-format',
					message: `${path} is a ZIP without a WhatsApp chat text (_chat.txt or "WhatsApp Chat … .txt"); entries: ${zip.names.slice(0, 8).join(', ') || 'none'}.`,
					location: {file: path},
				},
			};
		}
		const inner = `${basename(path)}:${entry}`;
		return {
			ok: true,
			source: {open: () => zip.stream(entry), location: (line) => ({file: path, line, path: inner}), label: inner},
			close: () => zip.close(),
		};
	}
	return {
		ok: true,
		source: {
			open: () =>
				new Promise((resolve, reject) => {
					const stream = createReadStream(path, {encoding: 'utf8'});
					stream.once('open', () => resolve(stream));
					stream.once('error', reject);
				}),
			location: (line) => ({file: path, line}),
			label: basename(path),
		},
		close: () => undefined,
	};
}

type Loaded = {ok: true; chat: RawChat; source: ChatSource} | {ok: false; finding: Finding};

async function loadChat(path: string, signal?: AbortSignal): Promise<Loaded> {
	const opened = await openChat(path);
	if (!opened.ok) return opened;
	try {
		return {ok: true, chat: await scanChat(opened.source, signal), source: opened.source};
	} catch (error) {
		return {ok: false, finding: unreadable(path, error)};
	} finally {
		opened.close();
	}
}

function participantsOf(chat: RawChat): Participant[] {
	const byName = new Map<string, Participant>();
	for (const e of chat.entries) {
		if (e.sender === undefined) continue;
		const p = byName.get(e.sender);
		if (p) p.messages++;
		else byName.set(e.sender, {name: e.sender, messages: 1, firstLine: e.line});
	}
	return [...byName.values()];
}

export interface WhatsAppInspection {
	/** Senders in order of first appearance, with their message counts. */
	participants: Participant[];
	/** Who would be the agent without `--agents` (see whatsapp-roles.ts). */
	guessedAgent?: string;
	/** The date order the file proves, if any, and the order that will be used. */
	dateOrder: {inferred?: DateOrder; used: DateOrder};
	/** Set when the file cannot be read as a WhatsApp chat. */
	problem?: Finding;
}

/** For the wizard: who writes in the chat, the guessed agent, and whether the date order must be asked. */
export async function inspectWhatsApp(path: string, options: ReadOptions = {}): Promise<WhatsAppInspection> {
	const loaded = await loadChat(path);
	if (!loaded.ok) return {participants: [], dateOrder: {used: options.dateOrder ?? DEFAULT_DATE_ORDER}, problem: loaded.finding};
	const participants = participantsOf(loaded.chat);
	const roles = assignRoles(participants, options.agents, options.bots, loaded.source.label);
	const inferred = inferDateOrder(loaded.chat.entries).order;
	const result: WhatsAppInspection = {
		participants,
		dateOrder: {used: options.dateOrder ?? inferred ?? DEFAULT_DATE_ORDER, ...(inferred ? {inferred} : {})},
	};
	if (roles.guessedAgent !== undefined) result.guessedAgent = roles.guessedAgent;
	return result;
}

/** The wizard's short name for `inspectWhatsApp(...).participants`. */
export async function listParticipants(path: string, options: ReadOptions = {}): Promise<Participant[]> {
	return (await inspectWhatsApp(path, options)).participants;
}

function dateOrderFinding(chat: RawChat, option: DateOrder | undefined, label: string): Omit<Finding, 'conversationId'> | undefined {
	const inferred = inferDateOrder(chat.entries);
	const flag = '--date-order dmy|mdy|ymd';
	if (!inferred.order) {
		const used = option ?? DEFAULT_DATE_ORDER;
		return {
			severity: option ? 'info' : 'warning',
			code: 'date-order',
			message: `Dates in ${label} are ambiguous (no day or month value above 12); ${option ? 'used' : 'assumed'} ${describeOrder(used)} (${used})${option ? ' as given' : ''}. If wrong, change it with ${flag}.`,
		};
	}
	if (option && option !== inferred.order && inferred.order !== 'ymd') {
		return {
			severity: 'warning',
			code: 'date-order',
			message: `--date-order ${option} was given, but line ${inferred.evidence?.line} of ${label} ("${inferred.evidence?.date}") is only valid as ${describeOrder(inferred.order)} (${inferred.order}).`,
		};
	}
	if (inferred.conflicting) {
		return {
			severity: 'warning',
			code: 'date-order',
			message: `Dates in ${label} mix orders: line ${inferred.evidence?.line} ("${inferred.evidence?.date}") proves ${describeOrder(inferred.order)} but line ${inferred.conflicting.line} ("${inferred.conflicting.date}") does not fit it; used ${inferred.order} (change with ${flag}).`,
		};
	}
	if (!option && inferred.order !== 'ymd') {
		return {
			severity: 'info',
			code: 'date-order',
			message: `Date order ${describeOrder(inferred.order)} (${inferred.order}) inferred from line ${inferred.evidence?.line} of ${label} ("${inferred.evidence?.date}").`,
		};
	}
	return undefined;
}

function conversationId(chat: RawChat, participants: Participant[]): string {
	const hash = createHash('sha256');
	hash.update(chat.entries[0]?.raw ?? '');
	for (const name of participants.map((p) => p.name).sort()) hash.update(`\n${name}`);
	return `whatsapp:${hash.digest('hex').slice(0, 16)}`;
}

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	const loaded = await loadChat(path, signal);
	if (!loaded.ok) {
		yield {kind: 'finding', finding: loaded.finding};
		return;
	}
	const {chat, source} = loaded;
	for (const finding of chat.findings) yield {kind: 'finding', finding};
	if (chat.entries.length === 0) {
		yield {
			kind: 'finding',
			finding: {
				severity: 'error',
				code: 'unparsable',
				message: `${source.label} has no line like "06/03/2017, 00:45 - Name: text" or "[02/11/2020, 9:47:19 pm] Name: text": not a WhatsApp chat export.`,
				location: source.location(1),
			},
		};
		return;
	}
	const participants = participantsOf(chat);
	const id = conversationId(chat, participants);
	const findings: Finding[] = [];
	const note = (f: Omit<Finding, 'conversationId'>): void => {
		findings.push({...f, conversationId: id, location: f.location ?? source.location(1)});
	};
	const roles = assignRoles(participants, options.agents, options.bots, source.label);
	roles.findings.forEach(note);
	const orderNote = dateOrderFinding(chat, options.dateOrder, source.label);
	if (orderNote) {
		const evidence = inferDateOrder(chat.entries).evidence;
		note(evidence ? {...orderNote, location: source.location(evidence.line)} : orderNote);
	}
	const order = options.dateOrder ?? inferDateOrder(chat.entries).order ?? DEFAULT_DATE_ORDER;

	const messages: DraftMessage[] = [];
	let invalid = 0;
	let firstInvalid: {line: number; reason: string} | undefined;
	let meridiem: number | undefined;
	for (const e of chat.entries) {
		const local = toLocalTime(e.stamp, order);
		const message: DraftMessage = {text: e.text, location: source.location(e.line)};
		if (local.ok) {
			message.timestamp = {local: local.local};
			if (local.inconsistentMeridiem) meridiem ??= e.line;
		} else {
			message.timestamp = null;
			invalid++;
			firstInvalid ??= {line: e.line, reason: local.reason};
		}
		if (e.sender === undefined) {
			message.senderId = 'system';
			message.role = 'system';
		} else {
			message.senderId = e.sender;
			message.senderName = e.sender;
			message.role = roles.roleOf(e.sender);
		}
		if (e.attachments.length > 0) message.attachments = e.attachments;
		messages.push(message);
	}
	if (firstInvalid) {
		note({
			severity: 'warning',
			code: 'unparsable-timestamp',
			message: `${invalid} date(s) in ${source.label} are invalid as ${order}, first at line ${firstInvalid.line}: ${firstInvalid.reason}.`,
			location: source.location(firstInvalid.line),
		});
	}
	if (meridiem !== undefined) {
		note({
			severity: 'info',
			code: 'unparsable-timestamp',
			message: `${source.label} line ${meridiem} has an AM/PM marker on a 24-hour time (like "13:37:00 p.m."); the marker is ignored.`,
			location: source.location(meridiem),
		});
	}
	note({
		severity: 'info',
		code: 'timestamp-no-zone',
		message: `WhatsApp times are the phone's local time without a zone; read in ${options.timezone ?? 'the local time zone'} (change with --timezone).`,
	});
	const customer = participants.find((p) => roles.roleOf(p.name) === 'end-user');
	const draft: DraftConversation = {id, messages, location: source.location(chat.entries[0]!.line)};
	if (customer) draft.requester = {id: customer.name, name: customer.name};
	const title = /^WhatsApp Chat (?:with|-) (.+?)(?:\.txt|\.zip)?$/i.exec(basename(path).replace(/\.(txt|zip)$/i, ''));
	if (title) draft.subject = `WhatsApp chat with ${title[1]}`;
	for (const finding of findings) yield {kind: 'finding', finding};
	yield {kind: 'conversation', draft};
}

function detect(probe: Probe): Detection {
	if (probe.zipEntries) {
		const entry = findChatEntry(probe.zipEntries);
		if (entry && (basename(entry) === '_chat.txt' || /^WhatsApp/i.test(basename(entry)))) {
			return {confidence: 0.95, reason: `ZIP with WhatsApp chat text ${entry}`};
		}
		return {confidence: 0, reason: 'ZIP without _chat.txt or "WhatsApp Chat … .txt"'};
	}
	const lines = probe.headText.split(/\r?\n/);
	if (probe.head.length >= 65_536) lines.pop();
	const nonEmpty = lines.filter((l) => l.trim() !== '');
	const dated = nonEmpty.filter((l) => WHATSAPP_LINE.test(l)).length;
	if (dated > 0 && dated / nonEmpty.length > 0.5) return {confidence: 0.95, reason: `${dated} of ${nonEmpty.length} lines start like "date, time - Name:"`};
	if (dated >= 3 && dated / nonEmpty.length >= 0.2) return {confidence: 0.6, reason: `${dated} of ${nonEmpty.length} lines start like a WhatsApp message`};
	if (probe.extension === 'txt') return {confidence: 0.05, reason: 'a .txt file, but no line looks like "date, time - Name: text"'};
	return {confidence: 0, reason: 'no WhatsApp message lines'};
}

export const whatsappReader: FormatReader = {
	id: 'whatsapp',
	label: 'WhatsApp chat export',
	extensions: ['txt', 'zip'],
	detect,
	read,
};
