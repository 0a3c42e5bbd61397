/**
 * The record source shared by the vendor-b JSON readers. A record is one ticket, chat, conversation or activity;
 * a file holds them as a bare array (streamed one element at a time), a wrapper object such as `{"tickets": […]}`
 * (streamed when the wrapper key is in the first 64 KiB, else parsed whole), a single record, or JSON lines
 * (streamed line by line). Wrapper objects met inside (an API page per JSONL line) are expanded too.
 *
 * Each record comes with its line, column and JSON path, and `at(['comments', 2])` locates a value inside it
 * (computed lazily with jsonc-parser's tree, so records whose messages are never located cost one JSON.parse).
 * Bad input never throws: syntax errors are `unparsable` findings with line and column.
 */
import {createReadStream} from 'node:fs';
import {open} from 'node:fs/promises';
import {createInterface} from 'node:readline';
import {findNodeAtLocation, parse as parseLenient, parseTree, type Node, type ParseError} from 'jsonc-parser';
import type {Finding} from '../../model/findings.js';
import type {SourceLocation} from '../../model/transcript.js';
import {streamJsonArray} from '../native/json-stream.js';
import {isRecord, loadJsonFile, MAX_JSON_DEPTH, tooDeepAt, unreadable} from '../vendor-a/json-file.js';

export type Segment = string | number;

export interface JsonRecord {
	value: unknown;
	/** JSON path of the record: `$`, `$[3]`, `$.tickets[3]`. */
	path: string;
	location: SourceLocation;
	/** Where a value inside the record is: `at(['comments', 2])` → line (and column) and `$.tickets[3].comments[2]`. */
	at(sub: Segment[]): SourceLocation;
}

export type RecordItem = {kind: 'record'; record: JsonRecord} | {kind: 'sideload'; key: string; values: unknown[]} | {kind: 'finding'; finding: Finding};

export interface RecordOptions {
	/** Keys of wrapper objects whose array holds the records (`tickets`, `chats`, `conversations`, `transcript`). */
	wrappers: string[];
	/** Top-level arrays delivered before the records when a wrapper object has them (Zendesk `users`). */
	sideloads?: string[];
	signal?: AbortSignal;
}

const HEAD = 64 * 1024;

export function pathOf(base: string, sub: Segment[]): string {
	return base + sub.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
}

function newlineIndex(text: string): number[] {
	const out: number[] = [];
	for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i);
	return out;
}

/** 1-based line and column of an offset, by binary search in the newline offsets. */
function lineColumn(newlines: number[], offset: number): {line: number; column: number} {
	let lo = 0;
	let hi = newlines.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (newlines[mid]! < offset) lo = mid + 1;
		else hi = mid;
	}
	const lineStart = lo === 0 ? 0 : newlines[lo - 1]! + 1;
	return {line: lo + 1, column: offset - lineStart + 1};
}

/** A located view of some JSON text: offsets → absolute line/column (text may start mid-file at `base`). */
class TextMap {
	private tree: Node | undefined | null = null;
	private newlines: number[] | undefined;

	constructor(
		private readonly text: string,
		private readonly base: {line: number; column: number},
	) {}

	node(segments: Segment[]): Node | undefined {
		if (this.tree === null) this.tree = parseTree(this.text);
		return this.tree ? findNodeAtLocation(this.tree, segments) : undefined;
	}

	position(offset: number): {line: number; column: number} {
		this.newlines ??= newlineIndex(this.text);
		const {line, column} = lineColumn(this.newlines, offset);
		return {line: this.base.line + line - 1, column: line === 1 ? this.base.column + column - 1 : column};
	}
}

function recordOf(value: unknown, file: string, path: string, map: TextMap | undefined, prefix: Segment[], fallback: SourceLocation): JsonRecord {
	const locate = (sub: Segment[]): SourceLocation => {
		const full = pathOf(path, sub);
		if (!map) return {...fallback, path: full};
		const node = map.node([...prefix, ...sub]);
		if (!node) return {...fallback, path: full};
		return {file, ...map.position(node.offset), path: full};
	};
	return {value, path, location: locate([]), at: locate};
}

/** The records of one parsed value: itself, or the elements of its wrapper array (with sideloads first). */
function* expand(value: unknown, file: string, path: string, map: TextMap | undefined, prefix: Segment[], fallback: SourceLocation, options: RecordOptions): Generator<RecordItem> {
	if (isRecord(value)) {
		const key = options.wrappers.find((k) => Array.isArray(value[k]));
		if (key) {
			for (const s of options.sideloads ?? []) {
				const list = value[s];
				if (Array.isArray(list)) yield {kind: 'sideload', key: s, values: list};
			}
			const list = value[key] as unknown[];
			for (let i = 0; i < list.length; i++) {
				yield {kind: 'record', record: recordOf(list[i], file, pathOf(path, [key, i]), map, [...prefix, key, i], fallback)};
			}
			return;
		}
	}
	yield {kind: 'record', record: recordOf(value, file, path, map, prefix, fallback)};
}

async function readHead(path: string): Promise<string> {
	const handle = await open(path, 'r');
	try {
		const buffer = Buffer.alloc(HEAD);
		const {bytesRead} = await handle.read(buffer, 0, HEAD, 0);
		return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
	} finally {
		await handle.close();
	}
}

/** Keys of the top-level object whose values are arrays, as far as the text goes (a depth-aware scan). */
export function topLevelArrayKeys(text: string): string[] {
	const keys: string[] = [];
	let depth = 0;
	let inString = false;
	let escaped = false;
	let expectKey = false;
	let current: string[] | undefined;
	let lastKey: string | undefined;
	let afterColon = false;
	for (const ch of text) {
		if (inString) {
			if (escaped) escaped = false;
			else if (ch === '\\') escaped = true;
			else if (ch === '"') {
				inString = false;
				if (current) {
					lastKey = current.join('');
					current = undefined;
				}
				continue;
			}
			current?.push(ch);
			continue;
		}
		if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') continue;
		if (depth === 1 && afterColon) {
			afterColon = false;
			if (ch === '[' && lastKey !== undefined) keys.push(lastKey);
		}
		if (ch === '"') {
			inString = true;
			if (depth === 1 && expectKey) {
				current = [];
				expectKey = false;
			}
		} else if (ch === '{' || ch === '[') {
			depth++;
			if (depth === 1) expectKey = ch === '{';
		} else if (ch === '}' || ch === ']') {
			depth--;
			if (depth <= 0) break;
		} else if (depth === 1 && ch === ':') afterColon = true;
		else if (depth === 1 && ch === ',') expectKey = true;
	}
	return keys;
}

/** The first two non-empty lines (the second only as "present"), to tell JSON lines from a JSON document. */
async function firstLines(path: string): Promise<{first?: string; more: boolean}> {
	const lines = createInterface({input: createReadStream(path, {encoding: 'utf8'}), crlfDelay: Infinity});
	let first: string | undefined;
	try {
		for await (const line of lines) {
			if (line.trim() === '') continue;
			if (first === undefined) first = line.replace(/^\uFEFF/, '');
			else return {first, more: true};
		}
	} finally {
		lines.close();
	}
	return first === undefined ? {more: false} : {first, more: false};
}

function isJsonObjectLine(line: string): boolean {
	const t = line.trim();
	if (!t.startsWith('{') || !t.endsWith('}')) return false;
	try {
		return isRecord(JSON.parse(t));
	} catch {
		return false;
	}
}

function syntaxFinding(file: string, message: string, at: {line: number; column?: number}, truncated: boolean): Finding {
	const where = `line ${at.line}${at.column !== undefined ? `, column ${at.column}` : ''}`;
	return {
		severity: 'error',
		code: 'unparsable',
		message: truncated ? `${file} ends too early at ${where}: the file is truncated (export or copy it again).` : `${file} is not valid JSON at ${where}: ${message}.`,
		location: {file, ...at},
	};
}

/**
 * Parses one element's text; on a syntax error (or nesting deeper than MAX_JSON_DEPTH, which the recursive
 * locator and walkers would not survive), the absolute line and column of the first problem.
 */
function parseElement(text: string, base: {line: number; column: number}): {ok: true; value: unknown} | {ok: false; at: {line: number; column: number}; why: string} {
	const deep = tooDeepAt(text);
	if (deep >= 0) return {ok: false, at: new TextMap(text, base).position(deep), why: `is nested more than ${MAX_JSON_DEPTH} levels deep`};
	try {
		return {ok: true, value: JSON.parse(text)};
	} catch {
		const errors: ParseError[] = [];
		parseLenient(text, errors, {disallowComments: true, allowTrailingComma: false});
		return {ok: false, at: new TextMap(text, base).position(errors[0]?.offset ?? 0), why: 'is malformed'};
	}
}

/** Streams the records of a vendor JSON / JSONL file. */
export async function* readJsonRecords(path: string, options: RecordOptions): AsyncGenerator<RecordItem> {
	const file = path;
	let head: string;
	let lines: {first?: string; more: boolean};
	try {
		head = await readHead(path);
		lines = await firstLines(path);
	} catch (error) {
		yield {kind: 'finding', finding: unreadable(path, error)};
		return;
	}
	const start = head.trimStart().charAt(0);
	if (start !== '{' && start !== '[') {
		yield {kind: 'finding', finding: {severity: 'error', code: 'unparsable', message: `${file} is not JSON (it starts with ${start ? `"${start}"` : 'nothing'}).`, location: {file, line: 1}}};
		return;
	}

	// JSON lines: one record (or one API page) per line.
	if (lines.more && lines.first !== undefined && isJsonObjectLine(lines.first)) {
		const reader = createInterface({input: createReadStream(path, {encoding: 'utf8'}), crlfDelay: Infinity});
		let lineNo = 0;
		for await (let line of reader) {
			lineNo++;
			if (options.signal?.aborted) break;
			if (lineNo === 1) line = line.replace(/^\uFEFF/, '');
			if (line.trim() === '') continue;
			const parsed = parseElement(line, {line: lineNo, column: 1});
			if (!parsed.ok) {
				const message = parsed.why === 'is malformed' ? `Line ${lineNo} is not valid JSON (at column ${parsed.at.column}); the line is skipped.` : `Line ${lineNo} ${parsed.why} (at column ${parsed.at.column}); the line is skipped.`;
				yield {kind: 'finding', finding: {severity: 'error', code: 'unparsable', message, location: {file, ...parsed.at}}};
				continue;
			}
			yield* expand(parsed.value, file, '$', new TextMap(line, {line: lineNo, column: 1}), [], {file, line: lineNo}, options);
		}
		return;
	}

	// A bare array: streamed element by element.
	let streamKey: string | undefined;
	if (start === '{') streamKey = topLevelArrayKeys(head).find((k) => options.wrappers.includes(k));
	if (start === '[' || streamKey !== undefined) {
		if (streamKey !== undefined) {
			for (const s of options.sideloads ?? []) {
				const values: unknown[] = [];
				// Errors are ignored here: the main pass below reports them.
				for await (const item of streamJsonArray(path, s, options.signal)) {
					if (item.kind === 'error') break;
					try {
						values.push(JSON.parse(item.text));
					} catch {
						// reported by the main pass when it matters
					}
				}
				if (values.length > 0) yield {kind: 'sideload', key: s, values};
			}
		}
		const base = streamKey === undefined ? '$' : `$.${streamKey}`;
		for await (const item of streamJsonArray(path, streamKey ?? '', options.signal)) {
			if (item.kind === 'error') {
				yield {kind: 'finding', finding: syntaxFinding(file, item.message.replace(/\.$/, ''), {line: item.line, column: item.column}, /end of JSON/i.test(item.message))};
				return;
			}
			const at = {line: item.line, column: item.column};
			const parsed = parseElement(item.text, at);
			if (!parsed.ok) {
				yield {kind: 'finding', finding: syntaxFinding(file, `element ${item.index} of the array ${parsed.why}; it is skipped`, parsed.at, false)};
				continue;
			}
			yield* expand(parsed.value, file, `${base}[${item.index}]`, new TextMap(item.text, at), [], {file, ...at}, options);
		}
		return;
	}

	// A single record, or a wrapper whose array starts beyond the first 64 KiB: parsed whole.
	const loaded = await loadJsonFile(path);
	if (!loaded.ok) {
		yield {kind: 'finding', finding: loaded.finding};
		return;
	}
	yield* expand(loaded.value, file, '$', new TextMap(loaded.text, {line: 1, column: 1}), [], {file, line: 1}, options);
}
