/**
 * A catalog of a transcript for the preview and the wizard: one scan that reports progress and makes an entry per
 * conversation available as soon as it is found, the summary (the same as SummaryBuilder over `items()`), every
 * finding, search, and any conversation read again on demand. No React here.
 *
 * How each kind of file is scanned and read again:
 * - row formats (native CSV and JSONL; ../readers/native/row-source.ts): pass 1 indexes the rows by conversation
 *   and the entries appear with their row counts (not yet validated); pass 2 normalizes each conversation in
 *   first-appearance order and completes its entry. A conversation can be read once pass 1 is over (before that a
 *   later row of it may still come): by its byte ranges, so fast on huge files.
 * - native JSON: one pass; each element is a whole conversation, so its entry is complete at once and it can be
 *   read again at once, by its byte range.
 * - vendor formats (whole-file exports that cannot be indexed): one pass over `items()`. The normalized
 *   conversations are kept in memory while they fit a budget (64 MB estimated); past it they are dropped and a
 *   conversation is read by reading the file again up to it (slow, but memory stays bounded).
 * Memory: the entries and the row index grow with the number of conversations (~150 bytes each) and rows (~21
 * bytes per run of rows), never with the text; findings are kept up to `maxFindings`.
 */
import {open, stat} from 'node:fs/promises';
import type {ReadItem} from '../model/draft.js';
import type {Finding} from '../model/findings.js';
import type {Conversation, Role, SourceLocation} from '../model/transcript.js';
import {Normalizer, type NormalizeOptions} from '../normalize/index.js';
import {arrayBase, elementItems, readJsonItems, type JsonElementPlace} from '../readers/native/json.js';
import {isRowReader, type RowSource} from '../readers/native/row-source.js';
import type {Detection, FormatId, FormatReader} from '../readers/types.js';
import {normalizeItems, normalizeOptionsOf, openTranscript, type LoadedItem, type LoadOptions, type OpenTranscript} from './load.js';
import {SummaryBuilder, type TranscriptSummary} from './summary.js';

export interface CatalogEntry {
	/** Position in the transcript (first-appearance order), as in `items()`. */
	index: number;
	id: string;
	/** Normalized messages; while not `validated`, the rows found so far. */
	messageCount: number;
	firstTimestamp?: number;
	lastTimestamp?: number;
	/** The requester's name, else their id (once validated). */
	requesterName?: string;
	subject?: string;
	errorCount: number;
	warningCount: number;
	location: SourceLocation;
	/** False while the conversation is only indexed (row formats, pass 1): counts may grow, nothing is checked yet. */
	validated: boolean;
}

export interface ScanProgress {
	/** `index`: finding the rows of each conversation (row formats); `validate`: normalizing; then `done`. */
	phase: 'index' | 'validate' | 'done';
	/** Bytes of the file read so far by the first pass over it (0 while a vendor reader cannot tell); the file size at the end. */
	bytesRead: number;
	totalBytes: number;
	/** Conversations (entries) and messages found so far. */
	conversations: number;
	messages: number;
	/** Conversations normalized so far. */
	validated: number;
}

export interface Participant {
	/** Sender name, else id. */
	name: string;
	role: Role;
	messages: number;
}

export interface CatalogHooks {
	signal?: AbortSignal;
	onProgress?: (progress: ScanProgress) => void;
	/** Minimum milliseconds between two progress calls (default 50); phase changes and the end are always reported. */
	progressInterval?: number;
	/** Findings kept in memory (default 100 000); the summary counts all of them. */
	maxFindings?: number;
	/** Examples per finding code in the summary (default 3). */
	examplesPerCode?: number;
}

export type CatalogStatus = 'scanning' | 'complete' | 'aborted' | 'failed';

/** A conversation as `items()` yields it. */
export type CatalogConversation = LoadedItem & {conversation: Conversation};

const RETAIN_BYTES = 64 * 1024 * 1024;
const KEEP_PARTICIPANTS = 1000;

/** Opens the file (detection) and starts the scan; returns at once with the catalog filling in. */
export async function openCatalog(path: string, options: LoadOptions = {}, hooks: CatalogHooks = {}): Promise<Catalog> {
	const transcript = await openTranscript(path, options);
	const size = (await stat(path)).size;
	const catalog = new Catalog(transcript, options, size, hooks);
	return catalog;
}

/** The whole scan: resolves with the complete catalog; rejects when reading fails or the signal aborts it. */
export async function scanTranscript(path: string, options: LoadOptions = {}, hooks: CatalogHooks = {}): Promise<Catalog> {
	const catalog = await openCatalog(path, options, hooks);
	await catalog.done;
	if (catalog.status === 'failed') throw catalog.error;
	if (catalog.status === 'aborted') throw hooks.signal?.reason ?? new Error('aborted');
	return catalog;
}

export class Catalog {
	readonly path: string;
	readonly format: FormatId;
	readonly label: string;
	readonly detection: Detection;
	readonly totalBytes: number;
	status: CatalogStatus = 'scanning';
	error: unknown;
	/** Resolves when the scan ends, whatever the outcome (see `status`); never rejects. */
	readonly done: Promise<void>;
	/** Every finding so far, in the order `items()` yields them (up to `maxFindings`). */
	readonly findings: Finding[] = [];
	/** Findings not kept because of `maxFindings`. */
	droppedFindings = 0;

	private readonly reader: FormatReader;
	private readonly options: LoadOptions;
	private readonly normalizeOptions: NormalizeOptions;
	private readonly hooks: CatalogHooks;
	private readonly builder: SummaryBuilder;
	private phase: ScanProgress['phase'];
	private bytesRead = 0;
	private messages = 0;
	private validatedCount = 0;
	private lastProgress = 0;

	// Entries, by column.
	private readonly ids: string[] = [];
	private readonly locations: SourceLocation[] = [];
	private readonly counts: number[] = [];
	private readonly firsts: number[] = [];
	private readonly lasts: number[] = [];
	private readonly requesters: (string | undefined)[] = [];
	private readonly subjects: (string | undefined)[] = [];
	private readonly errorCounts: number[] = [];
	private readonly warningCounts: number[] = [];
	private readonly validatedFlags: boolean[] = [];
	private readonly firstById = new Map<string, number>();
	private readonly participantsByName = new Map<string, Participant>();

	// Row formats.
	private rows: RowSource | undefined;
	private indexedResolve!: () => void;
	/** Resolves when every conversation can be read (row formats: after pass 1); never rejects. */
	readonly indexed: Promise<void>;
	// Native JSON: each entry's element.
	private readonly places: JsonElementPlace[] = [];
	private lastPlace: JsonElementPlace | undefined;
	private readonly duplicates = new Set<number>();
	private jsonBase: string | undefined;
	// Vendor formats: conversations kept while they fit.
	private retained: CatalogConversation[] | undefined = [];
	private retainedBytes = 0;
	private waiters: {count: number; resolve: () => void}[] = [];

	constructor(transcript: OpenTranscript, options: LoadOptions, totalBytes: number, hooks: CatalogHooks) {
		this.path = transcript.path;
		this.format = transcript.format;
		this.label = transcript.label;
		this.detection = transcript.detection;
		this.reader = transcript.reader;
		this.totalBytes = totalBytes;
		this.options = options;
		// One "now" for the scan and every later read, so a conversation read again is the one the scan saw.
		this.normalizeOptions = {...normalizeOptionsOf(options), now: options.now ?? Date.now()};
		this.hooks = hooks;
		this.builder = new SummaryBuilder(hooks.examplesPerCode ?? 3);
		this.phase = isRowReader(this.reader) ? 'index' : 'validate';
		this.indexed = new Promise((resolve) => {
			this.indexedResolve = resolve;
		});
		this.done = this.run();
	}

	/** Entries so far. */
	get size(): number {
		return this.ids.length;
	}

	get complete(): boolean {
		return this.status === 'complete';
	}

	get progress(): ScanProgress {
		return {
			phase: this.phase,
			bytesRead: this.bytesRead,
			totalBytes: this.totalBytes,
			conversations: this.ids.length,
			messages: this.messages,
			validated: this.validatedCount,
		};
	}

	entry(index: number): CatalogEntry | undefined {
		const id = this.ids[index];
		if (id === undefined) return undefined;
		const validated = this.validatedFlags[index] === true;
		const entry: CatalogEntry = {
			index,
			id,
			messageCount: validated || !this.rows ? this.counts[index]! : this.rows.index.rowCount(index),
			errorCount: this.errorCounts[index]!,
			warningCount: this.warningCounts[index]!,
			location: this.locations[index]!,
			validated,
		};
		const first = this.firsts[index]!;
		if (!Number.isNaN(first)) {
			entry.firstTimestamp = first;
			entry.lastTimestamp = this.lasts[index]!;
		}
		const requester = this.requesters[index];
		if (requester !== undefined) entry.requesterName = requester;
		const subject = this.subjects[index];
		if (subject !== undefined) entry.subject = subject;
		return entry;
	}

	/** Entries [start, end) (a page of the list). */
	entries(start = 0, end = this.size): CatalogEntry[] {
		const out: CatalogEntry[] = [];
		for (let i = Math.max(0, start); i < Math.min(end, this.size); i++) out.push(this.entry(i)!);
		return out;
	}

	/** The index of the first entry with this conversation id. */
	indexOf(id: string): number | undefined {
		return this.firstById.get(id);
	}

	/** Resolves when at least `count` entries exist or the scan has ended. */
	waitFor(count: number): Promise<void> {
		if (this.ids.length >= count || this.status !== 'scanning') return Promise.resolve();
		return new Promise((resolve) => this.waiters.push({count, resolve}));
	}

	/** The summary so far (complete when `status` is `complete`). */
	summary(): TranscriptSummary {
		return this.builder.result();
	}

	/** Senders by message count (the first 1000 distinct names). */
	participants(): Participant[] {
		return [...this.participantsByName.values()].sort((a, b) => b.messages - a.messages);
	}

	/** Case-insensitive search over ids, requester names and subjects. */
	search(text: string, limit = 1000): CatalogEntry[] {
		const q = text.trim().toLowerCase();
		const out: CatalogEntry[] = [];
		for (let i = 0; i < this.ids.length && out.length < limit; i++) {
			if (
				q === '' ||
				this.ids[i]!.toLowerCase().includes(q) ||
				(this.requesters[i]?.toLowerCase().includes(q) ?? false) ||
				(this.subjects[i]?.toLowerCase().includes(q) ?? false)
			) {
				out.push(this.entry(i)!);
			}
		}
		return out;
	}

	/**
	 * A conversation (by entry index, or by id: the first entry with that id) with its findings, equal to the item
	 * `items()` yields for it. Row formats wait for pass 1 to end. Undefined when there is no such entry.
	 */
	async readConversation(ref: number | string): Promise<CatalogConversation | undefined> {
		if (this.rows) await this.indexed;
		const index = typeof ref === 'number' ? ref : this.rows ? this.rows.index.lookup(ref) : this.firstById.get(ref);
		if (index === undefined || index < 0 || index >= this.ids.length) return undefined;
		if (this.rows) {
			const row = await this.rows.read(index);
			if (!row) return undefined;
			const {conversation, findings} = new Normalizer(this.normalizeOptions).add(row.draft);
			return conversation ? {conversation, findings} : undefined;
		}
		if (this.reader.id === 'json') return this.readJsonElement(index);
		const kept = this.retained?.[index];
		if (kept) return kept;
		let i = 0;
		for await (const item of normalizeItems(this.reader.read(this.path, this.options), new Normalizer(this.normalizeOptions))) {
			if (!item.conversation) continue;
			if (i === index) return item as CatalogConversation;
			i++;
		}
		return undefined;
	}

	async close(): Promise<void> {
		await this.done;
		await this.rows?.close();
	}

	private async run(): Promise<void> {
		const signal = this.hooks.signal;
		try {
			if (isRowReader(this.reader)) await this.scanRows(this.reader.openRows.bind(this.reader));
			else if (this.reader.id === 'json') await this.scanItems(readJsonItems(this.path, signal, (place) => this.onElement(place)));
			else await this.scanItems(this.reader.read(this.path, this.options, signal));
			this.status = signal?.aborted ? 'aborted' : 'complete';
		} catch (error) {
			this.status = signal?.aborted ? 'aborted' : 'failed';
			this.error = error;
		} finally {
			this.indexedResolve();
			if (this.status === 'complete') this.bytesRead = this.totalBytes;
			this.phase = 'done';
			this.report(true);
			for (const w of this.waiters) w.resolve();
			this.waiters = [];
		}
	}

	private async scanRows(openRows: (path: string, options: LoadOptions) => Promise<RowSource>): Promise<void> {
		const signal = this.hooks.signal;
		const rows = await openRows(this.path, this.options);
		this.rows = rows;
		for await (const event of rows.scan(signal)) {
			if (event.kind === 'finding') this.addItem({findings: [event.finding]});
			else {
				this.bytesRead = event.bytes;
				this.syncIndexedEntries(rows);
				this.report(false);
			}
		}
		if (signal?.aborted) return;
		this.syncIndexedEntries(rows);
		this.bytesRead = this.totalBytes;
		this.phase = 'validate';
		this.indexedResolve();
		this.report(true);
		const normalizer = new Normalizer(this.normalizeOptions);
		for await (const c of rows.conversations(signal)) {
			for (const finding of c.findings) this.addItem({findings: [finding]});
			const {conversation, findings} = normalizer.add(c.draft);
			this.addItem(conversation ? {conversation, findings} : {findings}, c.index);
		}
	}

	/** New conversations found by pass 1 become (not yet validated) entries. */
	private syncIndexedEntries(rows: RowSource): void {
		const index = rows.index;
		for (let i = this.ids.length; i < index.conversations; i++) {
			this.pushEntry(index.ids[i]!, {file: this.path, line: index.firstLine(i)}, false);
		}
		this.messages = index.totalRows;
		this.wake();
	}

	private async scanItems(items: AsyncIterable<ReadItem>): Promise<void> {
		for await (const item of normalizeItems(items, new Normalizer(this.normalizeOptions))) this.addItem(item);
	}

	private onElement(place: JsonElementPlace): void {
		this.lastPlace = place;
		this.bytesRead = place.end;
	}

	/** One item of the stream: into the summary and the findings, and its conversation into its entry. */
	private addItem(item: LoadedItem, rowIndex?: number): void {
		this.builder.add(item);
		for (const f of item.findings) {
			if (this.findings.length < (this.hooks.maxFindings ?? 100_000)) this.findings.push(f);
			else this.droppedFindings++;
		}
		const c = item.conversation;
		if (c) {
			let index: number;
			if (rowIndex !== undefined) index = rowIndex;
			else {
				index = this.pushEntry(c.id, c.location, true);
				this.messages += c.messages.length;
				if (this.reader.id === 'json' && item.findings.some((f) => f.code === 'duplicate-conversation-id')) this.duplicates.add(index);
			}
			this.fill(index, c, item.findings);
			if (this.reader.id === 'json') {
				// The element this conversation came from is the last one announced (the pipeline is pulled item by item).
				if (this.lastPlace) this.places[index] = this.lastPlace;
			} else if (!this.rows && this.retained) {
				const bytes = 200 + c.messages.reduce((n, m) => n + 2 * m.text.length + 300, 0);
				this.retainedBytes += bytes;
				if (this.retainedBytes > RETAIN_BYTES) this.retained = undefined;
				else this.retained[index] = item as CatalogConversation;
			}
		}
		this.report(false);
	}

	private pushEntry(id: string, location: SourceLocation, validated: boolean): number {
		const index = this.ids.length;
		this.ids.push(id);
		this.locations.push(location);
		this.counts.push(0);
		this.firsts.push(Number.NaN);
		this.lasts.push(Number.NaN);
		this.requesters.push(undefined);
		this.subjects.push(undefined);
		this.errorCounts.push(0);
		this.warningCounts.push(0);
		this.validatedFlags.push(validated);
		if (!this.firstById.has(id)) this.firstById.set(id, index);
		this.wake();
		return index;
	}

	/** Fills an entry from its normalized conversation. */
	private fill(index: number, c: Conversation, findings: Finding[]): void {
		let first = Number.NaN;
		let last = Number.NaN;
		for (const m of c.messages) {
			if (m.timestamp !== undefined) {
				if (!(m.timestamp >= first)) first = m.timestamp;
				if (!(m.timestamp <= last)) last = m.timestamp;
			}
			const name = m.senderName ?? m.senderId;
			const p = this.participantsByName.get(name);
			if (p) p.messages++;
			else if (this.participantsByName.size < KEEP_PARTICIPANTS) this.participantsByName.set(name, {name, role: m.role, messages: 1});
		}
		let errors = 0;
		let warnings = 0;
		for (const f of findings) {
			if (f.severity === 'error') errors++;
			else if (f.severity === 'warning') warnings++;
		}
		this.ids[index] = c.id;
		this.locations[index] = c.location;
		this.counts[index] = c.messages.length;
		this.firsts[index] = first;
		this.lasts[index] = last;
		this.requesters[index] = c.requester.name ?? c.requester.id;
		this.subjects[index] = c.subject;
		this.errorCounts[index] = errors;
		this.warningCounts[index] = warnings;
		this.validatedFlags[index] = true;
		this.validatedCount++;
	}

	private async readJsonElement(index: number): Promise<CatalogConversation | undefined> {
		const place = this.places[index];
		if (!place) return undefined;
		this.jsonBase ??= await arrayBase(this.path);
		const handle = await open(this.path, 'r');
		let text: string;
		try {
			const bytes = Buffer.allocUnsafe(place.end - place.start);
			await handle.read(bytes, 0, bytes.length, place.start);
			text = bytes.toString('utf8');
		} finally {
			await handle.close();
		}
		const {items} = elementItems(this.path, this.jsonBase, {index: place.index, text, line: place.line, column: place.column});
		const normalizer = new Normalizer(this.normalizeOptions);
		const id = this.ids[index]!;
		if (this.duplicates.has(index)) {
			// The scan saw this id before: let the normalizer see the first one too, so it reports the duplicate.
			const first = this.firstById.get(id)!;
			normalizer.add({id, messages: [], location: this.locations[first]!});
		}
		for await (const item of normalizeItems(toAsync(items), normalizer)) {
			if (item.conversation) return item as CatalogConversation;
		}
		return undefined;
	}

	private wake(): void {
		if (this.waiters.length === 0) return;
		const n = this.ids.length;
		this.waiters = this.waiters.filter((w) => {
			if (n < w.count) return true;
			w.resolve();
			return false;
		});
	}

	private report(force: boolean): void {
		const onProgress = this.hooks.onProgress;
		if (!onProgress) return;
		const now = performance.now();
		if (!force && now - this.lastProgress < (this.hooks.progressInterval ?? 50)) return;
		this.lastProgress = now;
		onProgress(this.progress);
	}
}

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
	yield* items;
}
