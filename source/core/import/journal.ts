/**
 * The run journal: an append-only NDJSON file written synchronously at every step (a write(2) per line, so a
 * kill -9 loses nothing already written; the OS flushes it to disk). On start it is replayed: conversations
 * already done are skipped without a call, requesters already created are reused. Without the journal a re-run
 * is still safe (deterministic request ids + the read-back diff); the journal only makes it faster and lets the
 * report and `undo` know which run created what.
 *
 * One journal per import job: the same project, source identity, file content and reading options.
 */
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync} from 'node:fs';
import {dirname} from 'node:path';
import {z} from 'zod';
import type {ConversationResult} from './events.js';

const Entry = z.discriminatedUnion('t', [
	z.object({t: z.literal('run'), run: z.string(), at: z.number(), file: z.string(), projectId: z.string(), dryRun: z.boolean().optional()}),
	z.object({t: z.literal('guest'), requester: z.string(), guest: z.string()}),
	z.object({t: z.literal('created'), rid: z.string(), run: z.string()}),
	z.object({
		t: z.literal('done'),
		rid: z.string(),
		run: z.string(),
		result: z.custom<ConversationResult>((v) => typeof v === 'object' && v !== null && typeof (v as {status?: unknown}).status === 'string'),
	}),
	z.object({t: z.literal('end'), run: z.string(), at: z.number(), stop: z.string()}),
]);
type Entry = z.infer<typeof Entry>;

export interface JournalState {
	runs: string[];
	/** requester source id → guest id (uuid_user). */
	guests: Map<string, string>;
	/** request id → run that created it. */
	createdBy: Map<string, string>;
	/** request id → last terminal result. */
	done: Map<string, ConversationResult & {run: string}>;
	/** Lines that could not be read (a torn last line after a crash is normal and ignored). */
	damaged: number;
}

const FINAL = new Set(['imported', 'completed', 'unchanged']);

export class Journal {
	private fd: number | undefined;
	readonly state: JournalState;

	private constructor(
		readonly path: string,
		state: JournalState,
	) {
		this.state = state;
	}

	/** Opens (creating folders) and replays the journal at `path`. */
	static open(path: string): Journal {
		mkdirSync(dirname(path), {recursive: true, mode: 0o700});
		const state: JournalState = {runs: [], guests: new Map(), createdBy: new Map(), done: new Map(), damaged: 0};
		let tornTail = false;
		if (existsSync(path)) {
			const text = readFileSync(path, 'utf8');
			tornTail = text.length > 0 && !text.endsWith('\n');
			for (const line of text.split('\n')) {
				if (line.trim() === '') continue;
				let entry: Entry;
				try {
					entry = Entry.parse(JSON.parse(line));
				} catch {
					state.damaged++;
					continue;
				}
				apply(state, entry);
			}
		}
		const journal = new Journal(path, state);
		journal.fd = openSync(path, 'a', 0o600);
		// A process killed mid-line leaves a torn last line: end it, so the next entry starts on its own line.
		if (tornTail) writeSync(journal.fd, '\n');
		return journal;
	}

	/** A journal that keeps nothing (dry runs). */
	static memory(): Journal {
		return new Journal('', {runs: [], guests: new Map(), createdBy: new Map(), done: new Map(), damaged: 0});
	}

	/**
	 * True when an earlier run finished this conversation with everything verified, and it still has as many
	 * messages (a longer export of the same conversation is not done: its new messages must be sent).
	 */
	isDone(requestId: string, messages: number): boolean {
		const done = this.state.done.get(requestId);
		return done !== undefined && FINAL.has(done.status) && done.messages === messages;
	}

	/** True when any run of this job created or finished (even as failed) this conversation. */
	knows(requestId: string): boolean {
		return this.state.createdBy.has(requestId) || this.state.done.has(requestId);
	}

	append(entry: Entry): void {
		apply(this.state, entry);
		if (this.fd === undefined) return;
		writeSync(this.fd, `${JSON.stringify(entry)}\n`);
	}

	close(): void {
		if (this.fd !== undefined) closeSync(this.fd);
		this.fd = undefined;
	}
}

function apply(state: JournalState, entry: Entry): void {
	switch (entry.t) {
		case 'run':
			if (!entry.dryRun) state.runs.push(entry.run);
			break;
		case 'guest':
			state.guests.set(entry.requester, entry.guest);
			break;
		case 'created':
			state.createdBy.set(entry.rid, entry.run);
			break;
		case 'done':
			state.done.set(entry.rid, {...entry.result, run: entry.run});
			break;
		case 'end':
			break;
	}
}
