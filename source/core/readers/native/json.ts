/**
 * Native JSON: `{ "conversations": [...] }` or a bare array of conversations. Streams one conversation at a time
 * (./json-stream.ts); conversations are located by line:column and JSON path, messages by JSON path.
 */
import {makeProbe} from '../probe.js';
import {streamJsonElements} from './json-stream.js';
import type {ReadItem} from '../../model/draft.js';
import type {FormatReader, Probe} from '../types.js';
import {lineColumnAt, syntaxErrorOffset, syntaxErrorReason} from '../location.js';
import {isObject, toDraftConversationHeader, toDraftMessage, type FieldProblem} from './fields.js';

export const jsonReader: FormatReader = {
	id: 'json',
	label: 'Transcript JSON (native)',
	extensions: ['json'],
	detect(probe: Probe) {
		const head = probe.headText.trimStart();
		if (/^\{\s*"conversations"\s*:/.test(head)) return {confidence: 0.7, reason: 'JSON object with "conversations"'};
		if (/^\[\s*\{/.test(head) && /"messages"\s*:/.test(head)) return {confidence: 0.6, reason: 'JSON array of objects with "messages"'};
		if (probe.extension === 'json') return {confidence: 0.3, reason: '.json extension'};
		return {confidence: 0, reason: 'not JSON'};
	},
	async *read(path, _options, signal) {
		yield* readJsonItems(path, signal);
	},
};

/** Where an element of the transcript array is: its bytes [start, end) and where it starts. */
export interface JsonElementPlace {
	index: number;
	start: number;
	end: number;
	line: number;
	column: number;
}

/** The reader's items; `onElement` hears of each element just before its items are yielded (the catalog's offsets). */
export async function* readJsonItems(path: string, signal?: AbortSignal, onElement?: (place: JsonElementPlace) => void): AsyncGenerator<ReadItem> {
	const file = path;
	let base: string | undefined;
	for await (const item of streamJsonElements(path, 'conversations', signal)) {
		if (item.kind === 'error') {
			yield finding(file, 'unparsable', `Invalid JSON: ${item.message}.`, {line: item.line, column: item.column});
			return;
		}
		base ??= await arrayBase(path);
		onElement?.({index: item.index, start: item.start, end: item.end, line: item.line, column: item.column});
		const {items, stop} = elementItems(file, base, item);
		yield* items;
		if (stop) return;
	}
}

/** The items of one element (a conversation and the findings about its fields); `stop` when it is not valid JSON. */
export function elementItems(file: string, base: string, item: {index: number; text: string; line: number; column: number}): {items: ReadItem[]; stop: boolean} {
	const jsonPath = `${base}[${item.index}]`;
	let value: unknown;
	try {
		value = JSON.parse(item.text);
	} catch (error) {
		const offset = syntaxErrorOffset(item.text, error as Error) ?? 0;
		const at = lineColumnAt(item.text, offset);
		const line = item.line + at.line - 1;
		const column = at.line === 1 ? item.column + at.column - 1 : at.column;
		return {items: [finding(file, 'unparsable', `Invalid JSON: ${syntaxErrorReason(error as Error)}.`, {line, column})], stop: true};
	}
	const location = {file, line: item.line, column: item.column, path: jsonPath};
	if (!isObject(value)) return {items: [finding(file, 'invalid-record', 'Conversation must be an object.', location)], stop: false};
	const draft = toDraftConversationHeader(value, location);
	const problems: FieldProblem[] = [];
	const messages = value['messages'];
	if (!Array.isArray(messages)) {
		problems.push({path: `${jsonPath}.messages`, reason: 'messages must be an array'});
	} else {
		messages.forEach((m, j) => {
			const mpath = `${jsonPath}.messages[${j}]`;
			if (isObject(m)) draft.messages.push(toDraftMessage(m, {file, path: mpath}, mpath, problems));
			else problems.push({path: mpath, reason: 'message must be an object'});
		});
	}
	const items: ReadItem[] = [];
	for (const p of problems) {
		const f = finding(file, 'invalid-record', `${p.reason}.`, {line: item.line, path: p.path});
		if (draft.id) f.finding.conversationId = draft.id;
		items.push(f);
	}
	items.push({kind: 'conversation', draft});
	return {items, stop: false};
}

/** `$` for a bare array, `$.conversations` for the wrapped form (decided from the first bytes). */
export async function arrayBase(path: string): Promise<string> {
	const probe = await makeProbe(path);
	return probe.headText.trimStart().startsWith('[') ? '$' : '$.conversations';
}

export function finding(
	file: string,
	code: 'unparsable' | 'invalid-record' | 'column-count' | 'missing-column',
	message: string,
	at: {line?: number; column?: number; path?: string},
): ReadItem & {kind: 'finding'} {
	return {kind: 'finding', finding: {severity: 'error', code, message, location: {file, ...at}}};
}
