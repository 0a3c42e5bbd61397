/** The load pipeline: detect → reader → normalizer, streamed one conversation at a time. */
import type {Finding} from '../model/findings.js';
import type {Conversation} from '../model/transcript.js';
import {Normalizer} from '../normalize/index.js';
import {detectFormat} from '../readers/detect.js';
import type {Detection, FormatId, ReadOptions} from '../readers/types.js';

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
	items(signal?: AbortSignal): AsyncIterable<LoadedItem>;
}

export async function openTranscript(path: string, options: LoadOptions = {}): Promise<OpenTranscript> {
	const {reader, detection} = await detectFormat(path, options.format ? {format: options.format} : {});
	const normalizerOptions = {...(options.timezone ? {timezone: options.timezone} : {}), ...(options.now ? {now: options.now} : {})};
	return {
		path,
		format: reader.id,
		label: reader.label,
		detection,
		async *items(signal) {
			const normalizer = new Normalizer(normalizerOptions);
			let pending: Finding[] = [];
			for await (const item of reader.read(path, options, signal)) {
				if (item.kind === 'finding') {
					const convId = item.finding.conversationId;
					if (convId === undefined) yield {findings: [item.finding]};
					else pending.push(item.finding);
					continue;
				}
				const {conversation, findings} = normalizer.add(item.draft);
				const own = pending.filter((f) => f.conversationId === item.draft.id);
				pending = pending.filter((f) => f.conversationId !== item.draft.id);
				yield conversation ? {conversation, findings: [...own, ...findings]} : {findings: [...own, ...findings]};
			}
			if (pending.length > 0) yield {findings: pending};
		},
	};
}
