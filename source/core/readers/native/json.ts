/**
 * Native JSON: `{ "conversations": [...] }` or a bare array of conversations. Streams one conversation at a time
 * (./json-stream.ts); conversations are located by line:column and JSON path, messages by JSON path.
 */
import {makeProbe} from '../probe.js';
import {streamJsonArray} from './json-stream.js';
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
		const file = path;
		let base: string | undefined;
		for await (const item of streamJsonArray(path, 'conversations', signal)) {
			if (item.kind === 'error') {
				yield finding(file, 'unparsable', `Invalid JSON: ${item.message}.`, {line: item.line, column: item.column});
				return;
			}
			base ??= await arrayBase(path);
			const jsonPath = `${base}[${item.index}]`;
			let value: unknown;
			try {
				value = JSON.parse(item.text);
			} catch (error) {
				const offset = syntaxErrorOffset(item.text, error as Error) ?? 0;
				const at = lineColumnAt(item.text, offset);
				const line = item.line + at.line - 1;
				const column = at.line === 1 ? item.column + at.column - 1 : at.column;
				yield finding(file, 'unparsable', `Invalid JSON: ${syntaxErrorReason(error as Error)}.`, {line, column});
				return;
			}
			const location = {file, line: item.line, column: item.column, path: jsonPath};
			if (!isObject(value)) {
				yield finding(file, 'invalid-record', 'Conversation must be an object.', location);
				continue;
			}
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
			for (const p of problems) {
				const f = finding(file, 'invalid-record', `${p.reason}.`, {line: item.line, path: p.path});
				if (draft.id) f.finding.conversationId = draft.id;
				yield f;
			}
			yield {kind: 'conversation', draft};
		}
	},
};

/** `$` for a bare array, `$.conversations` for the wrapped form (decided from the first bytes). */
async function arrayBase(path: string): Promise<string> {
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
