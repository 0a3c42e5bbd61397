/**
 * Whole-file JSON loading for vendor exports (Telegram `result.json`, Rasa trackers, Slack day files). These
 * exports are modest in size, so `JSON.parse` of the whole text is acceptable; a syntax error becomes a finding
 * with line and column (from jsonc-parser's offset, which is the same on every Node version, unlike V8's messages).
 */
import {readFile} from 'node:fs/promises';
import {parse as parseLenient, printParseErrorCode, type ParseError} from 'jsonc-parser';
import type {Finding} from '../../model/findings.js';

export type JsonLoad = {ok: true; value: unknown; text: string} | {ok: false; finding: Finding};

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): {line: number; column: number} {
	let line = 1;
	let lineStart = 0;
	const end = Math.min(offset, text.length);
	for (let i = 0; i < end; i++) {
		if (text.charCodeAt(i) === 10) {
			line++;
			lineStart = i + 1;
		}
	}
	return {line, column: end - lineStart + 1};
}

const HUMAN: Record<string, string> = {
	InvalidSymbol: 'an invalid character',
	InvalidNumberFormat: 'an invalid number',
	PropertyNameExpected: 'a missing property name (or a trailing comma)',
	ValueExpected: 'a missing value (or a trailing comma)',
	ColonExpected: 'a missing ":"',
	CommaExpected: 'a missing ","',
	CloseBraceExpected: 'a missing "}" (is the file truncated?)',
	CloseBracketExpected: 'a missing "]" (is the file truncated?)',
	EndOfFileExpected: 'extra text after the end of the JSON value',
	InvalidCommentToken: 'a comment (not allowed in JSON)',
	UnexpectedEndOfComment: 'an unterminated comment',
	UnexpectedEndOfString: 'an unterminated string (is the file truncated?)',
	UnexpectedEndOfNumber: 'an unterminated number',
	InvalidUnicode: 'an invalid \\u escape',
	InvalidEscapeCharacter: 'an invalid escape character',
	InvalidCharacter: 'an invalid character in a string',
};

/**
 * Deeper nesting than this is refused: no chat export comes close, and the error locator (jsonc-parser) and the
 * readers' own walkers are recursive, so a pathological file would overflow the stack instead of being reported.
 */
export const MAX_JSON_DEPTH = 1000;

/** Offset of the first `[` or `{` that opens a level deeper than `max` (strings skipped), or -1. */
export function tooDeepAt(text: string, max = MAX_JSON_DEPTH): number {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c) i++;
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x5b || c === 0x7b) {
			if (++depth > max) return i;
		} else if (c === 0x5d || c === 0x7d) depth--;
	}
	return -1;
}

/** Parses JSON text; on a syntax error returns an `unparsable` finding naming file, line and column. */
export function parseJsonText(text: string, file: string, label = file): JsonLoad {
	const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const deep = tooDeepAt(clean);
	if (deep >= 0) {
		const {line, column} = lineColumnAt(clean, deep);
		const message = `${label} is nested more than ${MAX_JSON_DEPTH} levels deep at line ${line}, column ${column}: not an export this tool can read.`;
		return {ok: false, finding: {severity: 'error', code: 'unparsable', message, location: {file, line, column}}};
	}
	try {
		return {ok: true, value: JSON.parse(clean), text: clean};
	} catch {
		const errors: ParseError[] = [];
		parseLenient(clean, errors, {disallowComments: true, allowTrailingComma: false, allowEmptyContent: false});
		const first = errors[0];
		const offset = first ? first.offset : clean.length;
		const {line, column} = lineColumnAt(clean, offset);
		const what = first ? (HUMAN[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error)) : 'invalid JSON';
		const atEnd = offset >= clean.trimEnd().length;
		const message =
			clean.trim() === ''
				? `${label} is empty: expected JSON.`
				: atEnd
					? `${label} ends too early at line ${line}, column ${column}: the file is truncated (export or copy it again).`
					: `${label} is not valid JSON: ${what} at line ${line}, column ${column}.`;
		return {ok: false, finding: {severity: 'error', code: 'unparsable', message, location: {file, line, column}}};
	}
}

/** Reads and parses a JSON file; unreadable files and syntax errors become findings. */
export async function loadJsonFile(path: string): Promise<JsonLoad> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		return {ok: false, finding: unreadable(path, error)};
	}
	return parseJsonText(text, path);
}

/** An `unreadable-file` finding with the system's reason (ENOENT, EACCES …), never a stack trace. */
export function unreadable(path: string, error: unknown): Finding {
	const code = (error as {code?: string} | null)?.code;
	const reason = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error)?.message ?? String(error);
	return {severity: 'error', code: 'unreadable-file', message: `Cannot read ${path}: ${reason}.`, location: {file: path}};
}

/** Narrowing helpers for untyped JSON. */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}
