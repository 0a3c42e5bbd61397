/**
 * Native JSON: `{ "conversations": [...] }` or a bare array of conversations.
 * Left for the scale issue: this reader parses the whole file with JSON.parse (fast and exact for files up to a
 * few hundred MB); a streaming tokenizer with per-message line numbers will replace it. Locations are JSON paths.
 */
import {readFile} from 'node:fs/promises';
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
	async *read(path) {
		const file = path;
		const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
		let data: unknown;
		try {
			data = JSON.parse(text);
		} catch (error) {
			const offset = syntaxErrorOffset(text, error as Error);
			const at = offset === undefined ? {} : lineColumnAt(text, offset);
			yield finding(file, 'unparsable', `Invalid JSON: ${syntaxErrorReason(error as Error)}.`, at);
			return;
		}
		let list: unknown;
		let base: string;
		if (Array.isArray(data)) {
			list = data;
			base = '$';
		} else if (isObject(data) && Array.isArray(data['conversations'])) {
			list = data['conversations'];
			base = '$.conversations';
		} else {
			yield finding(file, 'invalid-record', 'Expected an object with a "conversations" array, or an array of conversations.', {path: '$'});
			return;
		}
		const conversations = list as unknown[];
		for (let i = 0; i < conversations.length; i++) {
			const item = conversations[i];
			const path = `${base}[${i}]`;
			if (!isObject(item)) {
				yield finding(file, 'invalid-record', `Conversation must be an object.`, {path});
				continue;
			}
			const draft = toDraftConversationHeader(item, {file, path});
			const problems: FieldProblem[] = [];
			const messages = item['messages'];
			if (!Array.isArray(messages)) {
				problems.push({path: `${path}.messages`, reason: 'messages must be an array'});
			} else {
				messages.forEach((m, j) => {
					const mpath = `${path}.messages[${j}]`;
					if (isObject(m)) draft.messages.push(toDraftMessage(m, {file, path: mpath}, mpath, problems));
					else problems.push({path: mpath, reason: 'message must be an object'});
				});
			}
			for (const p of problems) {
				const f = finding(file, 'invalid-record', `${p.reason}.`, {path: p.path});
				if (draft.id) f.finding.conversationId = draft.id;
				yield f;
			}
			yield {kind: 'conversation', draft};
		}
	},
};

export function finding(
	file: string,
	code: 'unparsable' | 'invalid-record' | 'column-count' | 'missing-column',
	message: string,
	at: {line?: number; column?: number; path?: string},
): ReadItem & {kind: 'finding'} {
	return {kind: 'finding', finding: {severity: 'error', code, message, location: {file, ...at}}};
}
