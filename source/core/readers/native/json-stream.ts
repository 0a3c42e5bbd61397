/**
 * Streams the elements of the transcript array out of a JSON file — `[ … ]` or `{"conversations": [ … ], …}` —
 * one element at a time, with the line and column where each starts, without holding the whole file.
 * Hand-written because it is a small scanner (strings, escapes, nesting) and the streaming JSON libraries on npm
 * either parse everything into events (slow) or do not report positions; each element is still parsed by
 * JSON.parse, so values are exactly what JSON.parse gives.
 */
import {createReadStream} from 'node:fs';

export type StreamedElement =
	| {kind: 'element'; index: number; text: string; line: number; column: number}
	| {kind: 'error'; message: string; line: number; column: number};

const WS = new Set([' ', '\t', '\n', '\r']);

export async function* streamJsonArray(path: string, key = 'conversations', signal?: AbortSignal): AsyncGenerator<StreamedElement> {
	let line = 1;
	let column = 0;
	let depth = 0;
	let inString = false;
	let escaped = false;
	let top: '[' | '{' | undefined;
	let targetDepth = -1; // depth inside the transcript array
	let lastKey = '';
	let keyBuffer: string[] | undefined;
	let awaitingValueForKey = false;
	let expect: 'element' | 'separator' | 'first' = 'first';
	let capture: string[] | undefined;
	let chunkStart = 0;
	let element: {line: number; column: number} | undefined;
	let index = 0;
	let done = false;
	let first = true;

	const fail = (message: string): StreamedElement => ({kind: 'error', message, line, column});

	for await (const raw of createReadStream(path, {encoding: 'utf8', highWaterMark: 256 * 1024})) {
		if (signal?.aborted) return;
		let chunk = raw as string;
		if (first) {
			chunk = chunk.replace(/^\uFEFF/, '');
			first = false;
		}
		chunkStart = 0;
		for (let i = 0; i < chunk.length; i++) {
			const ch = chunk[i]!;
			if (ch === '\n') {
				line++;
				column = 0;
			} else {
				column++;
			}
			if (done) {
				if (!WS.has(ch)) {
					yield fail(`Unexpected "${ch}" after the end of the JSON value`);
					return;
				}
				continue;
			}
			if (inString) {
				if (keyBuffer && !escaped && ch !== '"') keyBuffer.push(ch);
				if (escaped) escaped = false;
				else if (ch === '\\') escaped = true;
				else if (ch === '"') {
					inString = false;
					if (keyBuffer) {
						lastKey = keyBuffer.join('');
						keyBuffer = undefined;
					}
				}
				continue;
			}
			// Inside the transcript array, between elements: check the separators.
			if (depth === targetDepth && capture === undefined) {
				if (WS.has(ch)) continue;
				if (ch === ']') {
					if (expect === 'element') {
						yield fail('Unexpected "]" after a comma');
						return;
					}
					targetDepth = -2;
					depth--;
					if (depth === 0) done = true;
					continue;
				}
				if (ch === ',') {
					if (expect !== 'separator') {
						yield fail('Unexpected ","');
						return;
					}
					expect = 'element';
					continue;
				}
				if (expect === 'separator') {
					yield fail(`Expected "," or "]" after element ${index - 1}, found "${ch}"`);
					return;
				}
				capture = [];
				chunkStart = i;
				element = {line, column};
				if (ch === '{' || ch === '[') depth++;
				else if (ch === '"') inString = true;
				// A scalar element is captured up to the next separator; the reader reports it as the wrong shape.
				continue;
			}
			if (ch === '"') {
				inString = true;
				if (top === '{' && depth === 1 && capture === undefined) keyBuffer = [];
				continue;
			}
			if (ch === '{' || ch === '[') {
				if (depth === 0) {
					if (top !== undefined) {
						yield fail(`Unexpected "${ch}"`);
						return;
					}
					top = ch;
					if (ch === '[') {
						targetDepth = 1;
						expect = 'first';
					}
				} else if (top === '{' && depth === 1 && awaitingValueForKey && lastKey === key && ch === '[' && targetDepth === -1) {
					targetDepth = 2;
					expect = 'first';
				}
				awaitingValueForKey = false;
				depth++;
				continue;
			}
			if (ch === ']' && capture !== undefined && depth === targetDepth) {
				// A scalar element closed by the end of the array.
				capture.push(chunk.slice(chunkStart, i));
				yield {kind: 'element', index: index++, text: capture.join(''), line: element!.line, column: element!.column};
				capture = undefined;
				targetDepth = -2;
				depth--;
				if (depth === 0) done = true;
				continue;
			}
			if (ch === '}' || ch === ']') {
				depth--;
				if (depth < 0) {
					yield fail(`Unexpected "${ch}"`);
					return;
				}
				if (capture !== undefined && depth === targetDepth) {
					capture.push(chunk.slice(chunkStart, i + 1));
					yield {kind: 'element', index: index++, text: capture.join(''), line: element!.line, column: element!.column};
					capture = undefined;
					expect = 'separator';
					continue;
				}
				if (depth === 0) done = true;
				continue;
			}
			if (ch === ':' && top === '{' && depth === 1) awaitingValueForKey = true;
			else if (ch === ',' && top === '{' && depth === 1) awaitingValueForKey = false;
			else if (ch === ',' && capture !== undefined && depth === targetDepth) {
				// End of a scalar element.
				capture.push(chunk.slice(chunkStart, i));
				yield {kind: 'element', index: index++, text: capture.join(''), line: element!.line, column: element!.column};
				capture = undefined;
				expect = 'element';
			} else if (top === undefined && !WS.has(ch)) {
				yield fail(`Expected "{" or "[" at the start of the file, found "${ch}"`);
				return;
			}
		}
		if (capture !== undefined) capture.push(chunk.slice(chunkStart));
	}
	if (inString || depth > 0 || top === undefined) {
		yield fail('Unexpected end of JSON input (the file is truncated?)');
		return;
	}
	if (top === '{' && targetDepth === -1) {
		yield fail(`Expected an object with a "${key}" array, or an array of conversations`);
	}
}
