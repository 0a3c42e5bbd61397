/**
 * Rasa conversations: the tracker JSON of `GET /conversations/{id}/tracker` (or a list of trackers), a bare
 * array of events (grouped by each event's `sender_id`, else one conversation named after the file), and
 * SQLTrackerStore `events` table dumps (pg_dump COPY). The mapping itself is in rasa-events.ts.
 */
import {open} from 'node:fs/promises';
import {basename, extname} from 'node:path';
import type {ReadItem} from '../../model/draft.js';
import type {SourceLocation} from '../../model/transcript.js';
import type {Detection, FormatReader, Probe, ReadOptions} from '../types.js';
import {isRecord, loadJsonFile, str, unreadable} from './json-file.js';
import {COPY_EVENTS, readCopyDump, type CopyRows} from './rasa-copy.js';
import {eventsToDrafts, type LocatedEvent} from './rasa-events.js';

async function firstChar(path: string): Promise<string> {
	const handle = await open(path, 'r');
	try {
		const {buffer, bytesRead} = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
		return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart().charAt(0);
	} finally {
		await handle.close();
	}
}

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	let first: string;
	try {
		first = await firstChar(path);
	} catch (error) {
		yield {kind: 'finding', finding: unreadable(path, error)};
		return;
	}
	const file = {file: path};
	const emit = function* (senderId: string, events: LocatedEvent[], at: SourceLocation): Generator<ReadItem> {
		const {drafts, findings} = eventsToDrafts(senderId, events, options, at);
		for (const finding of findings) yield {kind: 'finding', finding};
		for (const draft of drafts) yield {kind: 'conversation', draft};
	};

	if (first !== '{' && first !== '[') {
		let dump: CopyRows;
		try {
			dump = await readCopyDump(path, signal);
		} catch (error) {
			yield {kind: 'finding', finding: unreadable(path, error)};
			return;
		}
		for (const finding of dump.findings) yield {kind: 'finding', finding};
		if (!dump.found) {
			yield {kind: 'finding', finding: {severity: 'error', code: 'unparsable', message: `${path} is neither JSON nor a dump with a "COPY public.events (…) FROM stdin;" block.`, location: file}};
			return;
		}
		for (const [sender, events] of dump.senders) yield* emit(sender, events, events[0]?.location ?? file);
		return;
	}

	// Rasa trackers are modest (one conversation's events); the whole file is parsed at once.
	const loaded = await loadJsonFile(path);
	if (!loaded.ok) {
		yield {kind: 'finding', finding: loaded.finding};
		return;
	}
	const value = loaded.value;
	const trackers: {tracker: Record<string, unknown>; path: string}[] = [];
	if (isRecord(value)) trackers.push({tracker: value, path: '$'});
	else if (Array.isArray(value) && value.some((v) => isRecord(v) && Array.isArray(v['events']))) {
		value.forEach((v, i) => {
			if (isRecord(v)) trackers.push({tracker: v, path: `$[${i}]`});
		});
	} else if (Array.isArray(value)) {
		// A bare array of events: group by each event's sender_id, else the file name is the conversation id.
		const fallback = basename(path, extname(path));
		const groups = new Map<string, LocatedEvent[]>();
		let unnamed = 0;
		value.forEach((event, i) => {
			if (!isRecord(event)) return;
			const sender = str(event['sender_id']) ?? (unnamed++, fallback);
			const group = groups.get(sender) ?? [];
			group.push({event, location: {file: path, path: `$[${i}]`}});
			groups.set(sender, group);
		});
		if (unnamed > 0) {
			yield {
				kind: 'finding',
				finding: {severity: 'info', code: 'missing-conversation-id', message: `${unnamed} event(s) in ${path} have no sender_id; their conversation id is the file name "${fallback}".`, location: file},
			};
		}
		for (const [sender, events] of groups) yield* emit(sender, events, events[0]?.location ?? file);
		return;
	}
	if (trackers.length === 0) {
		yield {kind: 'finding', finding: {severity: 'error', code: 'invalid-record', message: `${path} is JSON but not a Rasa tracker (expected an object with "sender_id" and "events").`, location: file}};
		return;
	}
	for (const {tracker, path: at} of trackers) {
		if (signal?.aborted) return;
		const sender = str(tracker['sender_id']);
		const events = tracker['events'];
		if (!sender || !Array.isArray(events)) {
			yield {
				kind: 'finding',
				finding: {severity: 'error', code: 'invalid-record', message: `${at}: a Rasa tracker needs "sender_id" (string) and "events" (array); ${!sender ? '"sender_id" is missing' : '"events" is not an array'}.`, location: {file: path, path: at}},
			};
			continue;
		}
		const located: LocatedEvent[] = [];
		events.forEach((event, i) => {
			if (isRecord(event)) located.push({event, location: {file: path, path: `${at}.events[${i}]`}});
		});
		yield* emit(sender, located, {file: path, path: at});
	}
}

const EVENT = /"event"\s*:\s*"(user|bot|action|slot|session_started)"/;

function detect(probe: Probe): Detection {
	const text = probe.headText;
	if (COPY_EVENTS.test(text.split('\n').find((l) => /^COPY\s/i.test(l)) ?? '') && /sender_id/.test(text)) {
		return {confidence: 0.95, reason: 'pg_dump of the Rasa "events" table (COPY … FROM stdin)'};
	}
	const start = text.trimStart().charAt(0);
	if (start !== '{' && start !== '[') return {confidence: 0, reason: 'not JSON and no COPY public.events block'};
	if (/"rasa_nlu_data"\s*:/.test(text)) {
		return {confidence: 0.9, reason: 'Rasa NLU training data', unsupported: 'This is Rasa NLU training data (intents and examples), not conversations; export trackers with GET /conversations/{id}/tracker instead.'};
	}
	if (/"sender_id"\s*:/.test(text) && /"events"\s*:\s*\[/.test(text) && EVENT.test(text)) return {confidence: 0.95, reason: 'object with sender_id and events[] (Rasa tracker)'};
	if (start === '[' && /^\[\s*\{\s*"event"\s*:/.test(text.trimStart())) return {confidence: 0.9, reason: 'array of Rasa events'};
	if (start === '[' && EVENT.test(text) && /"timestamp"\s*:\s*\d{9,10}\.\d/.test(text)) return {confidence: 0.85, reason: 'array of objects with Rasa event types and float timestamps'};
	return {confidence: 0, reason: 'no Rasa sender_id/events'};
}

export const rasaReader: FormatReader = {
	id: 'rasa',
	label: 'Rasa tracker',
	extensions: ['json', 'sql', 'tsv'],
	detect,
	read,
};
