/**
 * What the preview screens show, backed by the transcript catalog (../../core/transcript/catalog.ts): one scan
 * with progress whose entries appear as they are found, so the first page shows before a huge file is read to the
 * end; the summary, findings and participants so far; a search; and any conversation read again on demand (by its
 * byte ranges for the native formats, so fast on huge files). Observable for React (`subscribe` + `version`), but
 * no React here.
 */
import {stat} from 'node:fs/promises';
import type {Finding} from '../../core/model/findings.js';
import type {Conversation} from '../../core/model/transcript.js';
import {Catalog, type CatalogEntry, type Participant, type ScanProgress} from '../../core/transcript/catalog.js';
import type {LoadOptions, OpenTranscript} from '../../core/transcript/load.js';
import type {TranscriptSummary} from '../../core/transcript/summary.js';
import type {ListItems} from '../components/select-list.js';

export type {Participant, ScanProgress} from '../../core/transcript/catalog.js';

export interface Entry {
	index: number;
	id: string;
	messages: number;
	requester: string;
	subject?: string;
	first?: number;
	last?: number;
	errors: number;
	warnings: number;
	/** False while only indexed (row formats, first pass): counts may still grow, nothing is checked yet. */
	validated: boolean;
}

export interface PreviewData {
	readonly format: {id: string; label: string; reason: string};
	/** Changes (new entries, progress, the end of the scan) are announced at most every `intervalMs`. */
	subscribe(listener: () => void): () => void;
	/** Grows with every announced change (for useSyncExternalStore). */
	version(): number;
	/** True once every conversation has been read and validated. */
	complete(): boolean;
	/** Why the scan stopped, when it failed. */
	failure(): string | undefined;
	progress(): ScanProgress;
	/** The summary so far (final once complete). */
	summary(): TranscriptSummary;
	/** Conversations found so far. */
	size(): number;
	/** Resolves when at least `count` conversations were found, or the scan ended. */
	waitFor(count: number): Promise<void>;
	entry(index: number): Entry | undefined;
	/** Entry indexes whose id, requester or subject contains `query` (case-insensitive); all when it is empty. */
	search(query: string): ListItems<number>;
	/** The index of the conversation with this id. */
	indexOf(id: string): number | undefined;
	/** Findings so far (the array grows while scanning). */
	findings(): readonly Finding[];
	participants(): Participant[];
	readConversation(index: number, signal?: AbortSignal): Promise<{conversation: Conversation; findings: Finding[]} | undefined>;
	/** Resolves when the scan ends, whatever the outcome; never rejects. */
	readonly done: Promise<void>;
	close(): Promise<void>;
}


function range(length: number): ListItems<number> {
	return {
		length,
		slice: (start, end) => {
			const out: number[] = [];
			for (let i = Math.max(0, start); i < Math.min(end, length); i++) out.push(i);
			return out;
		},
	};
}

function toEntry(e: CatalogEntry): Entry {
	return {
		index: e.index,
		id: e.id,
		messages: e.messageCount,
		requester: e.requesterName ?? '',
		...(e.subject ? {subject: e.subject} : {}),
		...(e.firstTimestamp !== undefined ? {first: e.firstTimestamp} : {}),
		...(e.lastTimestamp !== undefined ? {last: e.lastTimestamp} : {}),
		errors: e.errorCount,
		warnings: e.warningCount,
		validated: e.validated,
	};
}

/** Starts the scan of an opened transcript and returns at once; the data fills in (see `subscribe`). */
export async function openPreview(transcript: OpenTranscript, options: LoadOptions = {}, hooks: {signal?: AbortSignal; intervalMs?: number} = {}): Promise<PreviewData> {
	const totalBytes = (await stat(transcript.path)).size;
	const listeners = new Set<() => void>();
	let version = 0;
	const announce = () => {
		version++;
		for (const l of listeners) l();
	};
	const catalog = new Catalog(transcript, options, totalBytes, {
		...(hooks.signal ? {signal: hooks.signal} : {}),
		progressInterval: hooks.intervalMs ?? 100,
		onProgress: announce,
	});
	let searched: {query: string; size: number; items: ListItems<number>} | undefined;
	return {
		format: {id: transcript.format, label: transcript.label, reason: transcript.detection.reason},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		version: () => version,
		complete: () => catalog.complete,
		failure: () => (catalog.status === 'failed' ? ((catalog.error as Error | undefined)?.message ?? String(catalog.error)) : undefined),
		progress: () => catalog.progress,
		summary: () => catalog.summary(),
		size: () => catalog.size,
		waitFor: (count) => catalog.waitFor(count),
		entry: (index) => {
			const e = catalog.entry(index);
			return e ? toEntry(e) : undefined;
		},
		search(query) {
			const q = query.trim();
			if (q === '') return range(catalog.size);
			if (searched?.query !== q || searched.size !== catalog.size) {
				const hits = catalog.search(q, Number.POSITIVE_INFINITY).map((e) => e.index);
				searched = {query: q, size: catalog.size, items: hits};
			}
			return searched.items;
		},
		indexOf: (id) => catalog.indexOf(id),
		findings: () => catalog.findings,
		participants: () => catalog.participants(),
		async readConversation(index, signal) {
			const item = await catalog.readConversation(index);
			if (signal?.aborted || !item) return undefined;
			return {conversation: item.conversation, findings: item.findings};
		},
		done: catalog.done,
		close: () => catalog.close(),
	};
}

/** The whole scan (tests, small files): resolves once every conversation has been read. */
export async function scanForPreview(transcript: OpenTranscript, options: LoadOptions & {signal?: AbortSignal} = {}): Promise<PreviewData> {
	const {signal, ...load} = options;
	const preview = await openPreview(transcript, load, signal ? {signal} : {});
	await preview.done;
	const failed = preview.failure();
	if (failed) throw new Error(failed);
	return preview;
}
