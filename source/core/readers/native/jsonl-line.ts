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
	problems.length = 0;
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

const KEY = Buffer.from('conversationId"');
const MESSAGES = Buffer.from('messages"');

/**
 * The conversation id of a message line `{"conversationId":"…", …}`, read from its bytes, or undefined when the
 * line is not plainly such a line (then the caller parses it). When this returns an id and the line is valid JSON,
 * JSON.parse gives the same id and a message line (not a conversation line):
 * - the first key is `conversationId` (the first quote after `{` starts a key) with a string value without escapes;
 * - no other `"conversationId"` and no `"messages"` in the line (a second key would win; a `messages` array makes
 *   a conversation line), and no `\u` escape anywhere (an escape could spell either key another way);
 * - escaped characters are skipped, so every quote examined is a real one.
 * It does not prove the line is valid JSON: pass 2 parses it and reports it then (./jsonl.ts).
 * Hand-written because it is ~2× cheaper than JSON.parse of the line (which needs the line decoded first).
 */
export function fastConversationId(b: Buffer, s: number, e: number): string | undefined {
	while (s < e && (b[s] === 0x20 || b[s] === 0x09)) s++;
	while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0x09 || b[e - 1] === 0x0d)) e--;
	if (b[s] !== 0x7b || b[e - 1] !== 0x7d) return undefined;
	let j = s + 1;
	while (b[j] === 0x20 || b[j] === 0x09) j++;
	if (b[j] !== 0x22) return undefined;
	for (let k = 0; k < KEY.length; k++) if (b[j + 1 + k] !== KEY[k]) return undefined;
	j += 1 + KEY.length;
	while (b[j] === 0x20 || b[j] === 0x09) j++;
	if (b[j] !== 0x3a) return undefined;
	j++;
	while (b[j] === 0x20 || b[j] === 0x09) j++;
	if (b[j] !== 0x22) return undefined;
	const v = j + 1;
	let q = v;
	let ascii = true;
	for (; q < e; q++) {
		const c = b[q]!;
		if (c === 0x22) break;
		if (c === 0x5c || c < 0x20) return undefined;
		if (c > 0x7f) ascii = false;
	}
	if (q >= e - 1) return undefined;
	for (let i = q + 1; i < e; i++) {
		const c = b[i];
		if (c === 0x22) {
			const n = b[i + 1];
			if (n === 0x63) {
				let k = 0;
				while (k < KEY.length && b[i + 1 + k] === KEY[k]) k++;
				if (k === KEY.length) return undefined;
			} else if (n === 0x6d) {
				let k = 0;
				while (k < MESSAGES.length && b[i + 1 + k] === MESSAGES[k]) k++;
				if (k === MESSAGES.length) return undefined;
			}
		} else if (c === 0x5c) {
			if (b[i + 1] === 0x75) return undefined;
			i++;
		}
	}
	return b.toString(ascii ? 'latin1' : 'utf8', v, q);
}
