/** The load pipeline: detect → reader → normalizer, streamed one conversation at a time. */
import type {ReadItem} from '../model/draft.js';
import type {Finding} from '../model/findings.js';
import type {Conversation} from '../model/transcript.js';
import {Normalizer, type NormalizeOptions} from '../normalize/index.js';
import {detectFormat} from '../readers/detect.js';
import type {Detection, FormatId, FormatReader, ReadOptions} from '../readers/types.js';

export interface LoadOptions extends ReadOptions {
	format?: string;
	/** Fixed "now" (tests). */
	now?: number;
}

export interface LoadedItem {
	/** Absent for findings not tied to a conversation (a broken line, a missing column …). */
	conversation?: Conversation;
	findings: Finding[];
}

export interface OpenTranscript {
	path: string;
	format: FormatId;
	label: string;
	detection: Detection;
	reader: FormatReader;
	items(signal?: AbortSignal): AsyncIterable<LoadedItem>;
}

export function normalizeOptionsOf(options: LoadOptions): NormalizeOptions {
	return {...(options.timezone ? {timezone: options.timezone} : {}), ...(options.now ? {now: options.now} : {})};
}

/**
 * A reader's items as loaded items: each draft normalized, with the reader's findings about that conversation;
 * findings about no conversation are items of their own, in stream order.
 */
export async function* normalizeItems(items: AsyncIterable<ReadItem>, normalizer: Normalizer): AsyncGenerator<LoadedItem> {
	let pending: Finding[] = [];
	for await (const item of items) {
		if (item.kind === 'finding') {
			const convId = item.finding.conversationId;
			if (convId === undefined) yield {findings: [item.finding]};
			else pending.push(item.finding);
			continue;
		}
		const {conversation, findings} = normalizer.add(item.draft);
		let own: Finding[] = [];
		if (pending.length > 0) {
			own = pending.filter((f) => f.conversationId === item.draft.id);
			pending = pending.filter((f) => f.conversationId !== item.draft.id);
		}
		const all = own.length > 0 ? [...own, ...findings] : findings;
		yield conversation ? {conversation, findings: all} : {findings: all};
	}
	if (pending.length > 0) yield {findings: pending};
}

export async function openTranscript(path: string, options: LoadOptions = {}): Promise<OpenTranscript> {
	const {reader, detection} = await detectFormat(path, options.format ? {format: options.format} : {});
	const normalizerOptions = normalizeOptionsOf(options);
	return {
		path,
		format: reader.id,
		label: reader.label,
		detection,
		reader,
		async *items(signal) {
			yield* normalizeItems(reader.read(path, options, signal), new Normalizer(normalizerOptions));
		},
	};
}
