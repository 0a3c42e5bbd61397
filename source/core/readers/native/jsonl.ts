/**
 * Native JSONL/NDJSON: one message per line carrying a conversation id, or one conversation per line (a line with
 * `messages`). Streams the file line by line; a bad line is reported with its number and skipped.
 */
import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';
import type {FormatReader, Probe} from '../types.js';
import {syntaxErrorReason} from '../location.js';
import {conversationIdOf, isObject, str, toDraftConversationHeader, toDraftMessage, type FieldProblem} from './fields.js';
import {RowGrouper} from './group.js';
import {finding} from './json.js';

export const jsonlReader: FormatReader = {
	id: 'jsonl',
	label: 'Transcript JSONL / NDJSON (native)',
	extensions: ['jsonl', 'ndjson'],
	detect(probe: Probe) {
		const lines = probe.headText.split('\n').filter((l) => l.trim() !== '');
		// When the probe is cut at 64 KiB its last line may be partial: leave it out.
		const whole = probe.head.length < 64 * 1024;
		const complete = (whole ? lines : lines.slice(0, -1)).slice(0, 20);
		const objects = complete.filter((l) => /^\s*\{.*\}\s*$/.test(l));
		const ext = probe.extension === 'jsonl' || probe.extension === 'ndjson';
		if (objects.length >= 1 && objects.length === complete.length) {
			const keyed = objects.filter((l) => /"(conversationId|conversation_id|messages)"\s*:/.test(l)).length;
			// One line could equally be minified JSON: let the JSON reader win unless the extension says JSONL.
			if (objects.length === 1) return {confidence: ext ? 0.75 : 0.4, reason: 'a single JSON object line'};
			if (keyed === objects.length) return {confidence: 0.75, reason: 'one JSON object per line with conversation ids'};
			return {confidence: ext ? 0.5 : 0.35, reason: 'one JSON object per line'};
		}
		return ext ? {confidence: 0.3, reason: `.${probe.extension} extension`} : {confidence: 0, reason: 'not JSON lines'};
	},
	async *read(path, _options, signal) {
		const file = path;
		const grouper = new RowGrouper();
		const lines = createInterface({input: createReadStream(path, {encoding: 'utf8'}), crlfDelay: Infinity});
		let lineNo = 0;
		for await (let line of lines) {
			lineNo++;
			if (signal?.aborted) break;
			if (lineNo === 1) line = line.replace(/^\uFEFF/, '');
			if (line.trim() === '') continue;
			let value: unknown;
			try {
				value = JSON.parse(line);
			} catch (error) {
				yield finding(file, 'unparsable', `Line is not valid JSON: ${syntaxErrorReason(error as Error)}.`, {line: lineNo});
				continue;
			}
			if (!isObject(value)) {
				yield finding(file, 'invalid-record', 'Line must hold a JSON object (a message or a conversation).', {line: lineNo});
				continue;
			}
			const location = {file, line: lineNo};
			const problems: FieldProblem[] = [];
			if (Array.isArray(value['messages'])) {
				const draft = toDraftConversationHeader(value, location);
				value['messages'].forEach((m, j) => {
					if (isObject(m)) draft.messages.push(toDraftMessage(m, {file, line: lineNo, path: `$.messages[${j}]`}, `$.messages[${j}]`, problems));
					else problems.push({path: `$.messages[${j}]`, reason: 'message must be an object'});
				});
				for (const p of problems) yield finding(file, 'invalid-record', `${p.reason} (${p.path}).`, {line: lineNo});
				if (draft.id) grouper.addConversation(draft as typeof draft & {id: string});
				else yield finding(file, 'invalid-record', 'Conversation line has no "id".', {line: lineNo});
				continue;
			}
			const conversationId = conversationIdOf(value);
			if (conversationId === undefined) {
				yield finding(file, 'invalid-record', 'Message line has no "conversationId".', {line: lineNo});
				continue;
			}
			const message = toDraftMessage(value, location, '$', problems);
			for (const p of problems) yield finding(file, 'invalid-record', `${p.reason} (${p.path}).`, {line: lineNo});
			const requesterName = str(value['requesterName']);
			const requesterEmail = str(value['requesterEmail']);
			const subject = str(value['subject']);
			grouper.add(conversationId, message, location, {
				...(subject ? {subject} : {}),
				...(requesterName || requesterEmail
					? {requester: {...(requesterName ? {name: requesterName} : {}), ...(requesterEmail ? {email: requesterEmail} : {})}}
					: {}),
			});
		}
		for (const draft of grouper.drain()) yield {kind: 'conversation', draft};
	},
};
