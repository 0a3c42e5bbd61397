/**
 * Streams the elements of the transcript array out of a JSON file — `[ … ]` or `{"conversations": [ … ], …}` —
 * one element at a time, with the line and column where each starts (and its byte range, for reading it again
 * later by offset), without holding the whole file.
 * Hand-written because it is a small scanner (strings, escapes, nesting) and the streaming JSON libraries on npm
 * either parse everything into events (slow) or do not report positions; each element is still parsed by
 * JSON.parse, so values are exactly what JSON.parse gives. It scans bytes: every structural character is ASCII and
 * UTF-8 never uses ASCII bytes inside a multi-byte character; columns count UTF-16 units, as JavaScript does.
 */
import {createReadStream} from 'node:fs';

export type StreamedElement =
	| {kind: 'element'; index: number; text: string; line: number; column: number}
	| {kind: 'error'; message: string; line: number; column: number};

/** An element with its bytes in the file: [start, end). */
export type LocatedElement = (StreamedElement & {kind: 'element'; start: number; end: number}) | (StreamedElement & {kind: 'error'});

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isWs = (b: number): boolean => b === SPACE || b === LF || b === CR || b === TAB;

/** The character starting at byte i (for messages). */
function charAt(buf: Buffer, i: number): string {
	const b = buf[i]!;
	const length = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
	return String.fromCodePoint(buf.toString('utf8', i, Math.min(buf.length, i + length)).codePointAt(0) ?? 0xfffd);
}

export async function* streamJsonArray(path: string, key = 'conversations', signal?: AbortSignal): AsyncGenerator<StreamedElement> {
	for await (const e of streamJsonElements(path, key, signal)) {
		yield e.kind === 'element' ? {kind: 'element', index: e.index, text: e.text, line: e.line, column: e.column} : e;
	}
}

export async function* streamJsonElements(path: string, key = 'conversations', signal?: AbortSignal): AsyncGenerator<LocatedElement> {
	const keyBytes = Buffer.from(key);
	let line = 1;
	let column = 0;
	let depth = 0;
	let inString = false;
	let escaped = false;
	let top: '[' | '{' | undefined;
	let targetDepth = -1; // depth inside the transcript array
	let keyStart = -1; // while reading a key at depth 1: where its bytes start in the chunk (or 0 if it began earlier)
	let keyParts: Buffer[] = [];
	let lastKeyMatches = false;
	let awaitingValueForKey = false;
	let expect: 'element' | 'separator' | 'first' = 'first';
	let capture: Buffer[] | undefined;
	let chunkStart = 0;
	let element: {line: number; column: number; start: number} | undefined;
	let index = 0;
	let done = false;
	let first = true;
	let base = 0; // file offset of the chunk

	const fail = (message: string): LocatedElement => ({kind: 'error', message, line, column});
	const emit = (chunk: Buffer, end: number): LocatedElement => {
		capture!.push(chunk.subarray(chunkStart, end));
		const text = (capture!.length === 1 ? capture![0]! : Buffer.concat(capture!)).toString('utf8');
		return {kind: 'element', index: index++, text, line: element!.line, column: element!.column, start: element!.start, end: base + end};
	};

	for await (const raw of createReadStream(path, {highWaterMark: 256 * 1024})) {
		if (signal?.aborted) return;
		const chunk = raw as Buffer;
		let i = 0;
		if (first) {
			if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
			first = false;
		}
		chunkStart = 0;
		if (keyStart >= 0) keyStart = 0;
		for (; i < chunk.length; i++) {
			const b = chunk[i]!;
			if (b === LF) {
				line++;
				column = 0;
			} else if ((b & 0xc0) !== 0x80) {
				column += b >= 0xf0 ? 2 : 1;
			} else continue; // a continuation byte: never structural
			if (done) {
				if (!isWs(b)) {
					yield fail(`Unexpected "${charAt(chunk, i)}" after the end of the JSON value`);
					return;
				}
				continue;
			}
			if (inString) {
				if (escaped) escaped = false;
				else if (b === BACKSLASH) escaped = true;
				else if (b === QUOTE) {
					inString = false;
					if (keyStart >= 0) {
						keyParts.push(chunk.subarray(keyStart, i));
						const k = keyParts.length === 1 ? keyParts[0]! : Buffer.concat(keyParts);
						lastKeyMatches = k.equals(keyBytes);
						keyStart = -1;
						keyParts = [];
					}
				}
				continue;
			}
			// Inside the transcript array, between elements: check the separators.
			if (depth === targetDepth && capture === undefined) {
				if (isWs(b)) continue;
				if (b === CLOSE_BRACKET) {
					if (expect === 'element') {
						yield fail('Unexpected "]" after a comma');
						return;
					}
					targetDepth = -2;
					depth--;
					if (depth === 0) done = true;
					continue;
				}
				if (b === COMMA) {
					if (expect !== 'separator') {
						yield fail('Unexpected ","');
						return;
					}
					expect = 'element';
					continue;
				}
				if (expect === 'separator') {
					yield fail(`Expected "," or "]" after element ${index - 1}, found "${charAt(chunk, i)}"`);
					return;
				}
				capture = [];
				chunkStart = i;
				element = {line, column, start: base + i};
				if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
				else if (b === QUOTE) inString = true;
				// A scalar element is captured up to the next separator; the reader reports it as the wrong shape.
				continue;
			}
			if (b === QUOTE) {
				inString = true;
				if (top === '{' && depth === 1 && capture === undefined) keyStart = i + 1;
				continue;
			}
			if (b === OPEN_BRACE || b === OPEN_BRACKET) {
				if (depth === 0) {
					if (top !== undefined) {
						yield fail(`Unexpected "${charAt(chunk, i)}"`);
						return;
					}
					top = b === OPEN_BRACE ? '{' : '[';
					if (b === OPEN_BRACKET) {
						targetDepth = 1;
						expect = 'first';
					}
				} else if (top === '{' && depth === 1 && awaitingValueForKey && lastKeyMatches && b === OPEN_BRACKET && targetDepth === -1) {
					targetDepth = 2;
					expect = 'first';
				}
				awaitingValueForKey = false;
				depth++;
				continue;
			}
			if (b === CLOSE_BRACKET && capture !== undefined && depth === targetDepth) {
				// A scalar element closed by the end of the array.
				yield emit(chunk, i);
				capture = undefined;
				targetDepth = -2;
				depth--;
				if (depth === 0) done = true;
				continue;
			}
			if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
				depth--;
				if (depth < 0) {
					yield fail(`Unexpected "${charAt(chunk, i)}"`);
					return;
				}
				if (capture !== undefined && depth === targetDepth) {
					yield emit(chunk, i + 1);
					capture = undefined;
					expect = 'separator';
					continue;
				}
				if (depth === 0) done = true;
				continue;
			}
			if (b === COLON && top === '{' && depth === 1) awaitingValueForKey = true;
			else if (b === COMMA && top === '{' && depth === 1) awaitingValueForKey = false;
			else if (b === COMMA && capture !== undefined && depth === targetDepth) {
				// End of a scalar element.
				yield emit(chunk, i);
				capture = undefined;
				expect = 'element';
			} else if (top === undefined && !isWs(b)) {
				yield fail(`Expected "{" or "[" at the start of the file, found "${charAt(chunk, i)}"`);
				return;
			}
		}
		if (capture !== undefined) capture.push(chunk.subarray(chunkStart));
		if (keyStart >= 0) keyParts.push(chunk.subarray(keyStart));
		base += chunk.length;
	}
	if (inString || depth > 0 || top === undefined) {
		yield fail('Unexpected end of JSON input (the file is truncated?)');
		return;
	}
	if (top === '{' && targetDepth === -1) {
		yield fail(`Expected an object with a "${key}" array, or an array of conversations`);
	}
}
