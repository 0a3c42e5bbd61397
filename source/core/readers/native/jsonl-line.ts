/**
 * One JSONL line: what it holds (a message of a conversation, a whole conversation, or nothing importable) and the
 * findings it gives. Shared by both passes of ./jsonl.ts so a line means the same thing in each.
 * Also the fast path of pass 1: the conversation id of a plain message line read from its bytes without JSON.parse.
 */
import type {DraftConversation, DraftMessage} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {SourceLocation} from '../../model/transcript.js';
import {syntaxErrorReason} from '../location.js';
import {conversationIdOf, isObject, str, toDraftConversationHeader, toDraftMessage, type FieldProblem} from './fields.js';
import {finding} from './json.js';

export type JsonlLine =
	| {kind: 'none'; findings: Finding[]}
	| {kind: 'message'; conversationId: string; message: DraftMessage; location: SourceLocation; header: Partial<DraftConversation> | undefined; findings: Finding[]}
	| {kind: 'conversation'; draft: DraftConversation & {id: string}; findings: Finding[]};

const NONE: JsonlLine = {kind: 'none', findings: []};


/** Interprets a line (without its line end; a BOM already removed) exactly as the seed's reader did. */
export function interpretLine(file: string, line: string, lineNo: number): JsonlLine {
	if (line.charCodeAt(0) !== 123 /* { */ && line.trim() === '') return NONE;
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch (error) {
		return {kind: 'none', findings: [finding(file, 'unparsable', `Line is not valid JSON: ${syntaxErrorReason(error as Error)}.`, {line: lineNo}).finding]};
	}
	return interpretValue(file, value, lineNo);
}

const NO_FINDINGS: Finding[] = [];
/** Reused between calls (emptied each time): most lines have no problem, so no array is made for them. */
const problems: FieldProblem[] = [];

/** What a parsed line holds. The `findings` of a line without problems is a shared empty array: do not push to it. */
export function interpretValue(file: string, value: unknown, lineNo: number): JsonlLine {
	if (!isObject(value)) {
		return {kind: 'none', findings: [finding(file, 'invalid-record', 'Line must hold a JSON object (a message or a conversation).', {line: lineNo}).finding]};
	}
	const location = {file, line: lineNo};
	if (problems.length > 0) problems.length = 0;
	if (Array.isArray(value['messages'])) {
		const draft = toDraftConversationHeader(value, location);
		value['messages'].forEach((m, j) => {
			if (isObject(m)) draft.messages.push(toDraftMessage(m, {file, line: lineNo, path: `$.messages[${j}]`}, `$.messages[${j}]`, problems));
			else problems.push({path: `$.messages[${j}]`, reason: 'message must be an object'});
		});
		const findings = problems.map((p) => finding(file, 'invalid-record', `${p.reason} (${p.path}).`, {line: lineNo}).finding);
		if (draft.id) return {kind: 'conversation', draft: draft as typeof draft & {id: string}, findings};
		findings.push(finding(file, 'invalid-record', 'Conversation line has no "id".', {line: lineNo}).finding);
		return {kind: 'none', findings};
	}
	const conversationId = conversationIdOf(value);
	if (conversationId === undefined) {
		return {kind: 'none', findings: [finding(file, 'invalid-record', 'Message line has no "conversationId".', {line: lineNo}).finding]};
	}
	const message = toDraftMessage(value, location, '$', problems);
	const findings = problems.length === 0 ? NO_FINDINGS : problems.map((p) => finding(file, 'invalid-record', `${p.reason} (${p.path}).`, {line: lineNo}).finding);
	const requesterName = str(value['requesterName']);
	const requesterEmail = str(value['requesterEmail']);
	const subject = str(value['subject']);
	let header: Partial<DraftConversation> | undefined;
	if (subject) header = {subject};
	if (requesterName || requesterEmail) {
		header ??= {};
		header.requester = {...(requesterName ? {name: requesterName} : {}), ...(requesterEmail ? {email: requesterEmail} : {})};
	}
	return {kind: 'message', conversationId, message, location, header, findings};
}

const KEY = '"conversationId"';
/** Where `Id"` sits in KEY: occurrences of this short pattern are what the chunk is searched for. */
const ID_TAIL = KEY.length - 3;
const KEY_HEAD = '"conversation';
/**
 * `"messages"` is found by its tail: a pattern this short is searched for by its first char (memchr), and `g` is
 * rare, where a search for the whole key stumbles on every quote of the chunk (about 4× slower, measured).
 */
const MESSAGES = '"messages"';
const MESSAGES_TAIL = 'ges"';

/**
 * The fast path of pass 1 over one chunk of a JSONL file: the conversation id of each plain message line
 * `{"conversationId":"…", …}` read from the text without JSON.parse, or undefined when the line is not plainly
 * such a line (then the caller parses it). When this returns an id and the line is valid JSON, JSON.parse gives the
 * same id and a message line (not a conversation line):
 * - the first key is `conversationId` (the first quote after `{` starts a key) with a string value without escapes;
 * - no other `"conversationId"` and no `"messages"` in the line (a second key would win; a `messages` array makes
 *   a conversation line), and no `\u` escape anywhere (an escape could spell either key another way). A match
 *   inside a string value (after an escaped quote) only sends the line to the slow path, which is exact.
 * It does not prove the line is valid JSON: pass 2 parses it and reports it then (./jsonl.ts).
 *
 * `text` is the chunk decoded as latin1 (one char per byte, so offsets are byte offsets; the id is decoded again
 * as UTF-8 when it is not ASCII). The three rare patterns are found with one forward search each across the chunk
 * (cursors), not one per line: a per-line scan of every byte cost more than the rest of pass 1. Lines must be
 * asked for in file order. Hand-written because it is several times cheaper than decoding and parsing every line.
 */
export class ChunkIds {
	private text = '';
	private bytes: Buffer = Buffer.alloc(0);
	private idAt = -1;
	private messagesAt = -1;
	private escapeAt = -1;

	/** Starts on a new chunk: its bytes and the same bytes decoded as latin1. */
	reset(text: string, bytes: Buffer): void {
		this.text = text;
		this.bytes = bytes;
		this.idAt = text.indexOf('Id"');
		this.messagesAt = text.indexOf(MESSAGES_TAIL);
		this.escapeAt = text.indexOf('\\u');
	}

	/** The conversation id of the line [s, e) (without its line feed; the BOM, if any, before s), or undefined. */
	idOf(s: number, e: number): string | undefined {
		const t = this.text;
		// The cursors move past this line whatever the answer, so the next line starts from them.
		const escapeFree = this.skip('escapeAt', '\\u', s, e);
		const messagesFree = this.skip('messagesAt', MESSAGES_TAIL, s, e);
		while (s < e && (t.charCodeAt(s) === 0x20 || t.charCodeAt(s) === 0x09)) s++;
		let end = e;
		while (end > s && (t.charCodeAt(end - 1) === 0x20 || t.charCodeAt(end - 1) === 0x09 || t.charCodeAt(end - 1) === 0x0d)) end--;
		let j = s + 1;
		while (t.charCodeAt(j) === 0x20 || t.charCodeAt(j) === 0x09) j++;
		const keyed = t.charCodeAt(s) === 0x7b && t.charCodeAt(end - 1) === 0x7d && j < end && t.startsWith(KEY, j);
		// Other `"conversationId"` in the line: every `Id"` after this key's own, checked for the head of the key.
		let single = true;
		let at = this.idAt;
		while (at >= 0 && at < e) {
			// `n` before `Id"` first: most hits are other keys (`senderId`), told apart by one char.
			if (at !== j + ID_TAIL && at >= s && t.charCodeAt(at - 1) === 0x6e && t.startsWith(KEY_HEAD, at - ID_TAIL)) single = false;
			at = t.indexOf('Id"', at + 1);
		}
		this.idAt = at;
		if (!keyed || !single || !escapeFree || !messagesFree) return undefined;
		j += KEY.length;
		while (t.charCodeAt(j) === 0x20 || t.charCodeAt(j) === 0x09) j++;
		if (t.charCodeAt(j) !== 0x3a) return undefined;
		j++;
		while (t.charCodeAt(j) === 0x20 || t.charCodeAt(j) === 0x09) j++;
		if (t.charCodeAt(j) !== 0x22) return undefined;
		const v = j + 1;
		const q = t.indexOf('"', v);
		if (q < 0 || q >= end - 1) return undefined;
		let ascii = true;
		for (let k = v; k < q; k++) {
			const c = t.charCodeAt(k);
			if (c === 0x5c || c < 0x20) return undefined;
			if (c > 0x7f) ascii = false;
		}
		return ascii ? t.slice(v, q) : this.bytes.toString('utf8', v, q);
	}

	/** Moves a cursor past [s, e); true when the pattern (`\u`, or `"messages"` found by its tail) is not in the line. */
	private skip(cursor: 'escapeAt' | 'messagesAt', pattern: string, s: number, e: number): boolean {
		const t = this.text;
		let at = this[cursor];
		while (at >= 0 && at < s) at = t.indexOf(pattern, at + 1);
		let free = true;
		while (at >= 0 && at < e) {
			if (pattern !== MESSAGES_TAIL || t.startsWith(MESSAGES, at - (MESSAGES.length - MESSAGES_TAIL.length))) free = false;
			at = t.indexOf(pattern, at + 1);
		}
		this[cursor] = at;
		return free;
	}
}
