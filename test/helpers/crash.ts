/**
 * Shared pieces of the reliability tests: a seeded RNG, transcript generation, the built CLI as a child process
 * (killed at a chosen NDJSON event count or wall time), the exactly-once read-back check against a server, and
 * the journal check. Used by test/reliability/** (sandbox) and test/e2e/*.e2e.test.ts (real server).
 */
import {spawn} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {ImportRun, type RunOutcome} from '../../source/core/import/engine.js';
import type {ImportEvent} from '../../source/core/import/events.js';
import {requestIdFor} from '../../source/core/import/ids.js';
import {Journal} from '../../source/core/import/journal.js';
import {importOptions, type ImportOptionsInput} from '../../source/core/import/options.js';
import type {RetryPolicy} from '../../source/core/import/retry.js';
import {openSource} from '../../source/core/import/source.js';
import type {Conversation} from '../../source/core/model/transcript.js';
import type {TiledeskApi, TiledeskMessage} from '../../source/core/tiledesk/api.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {openTranscript} from '../../source/core/transcript/load.js';

export const root = join(import.meta.dirname, '..', '..');
export const CLI = join(root, 'dist', 'cli.js');

/** mulberry32: a small seeded PRNG, so every random kill point and fault is repeatable from the seed. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The seed of a test run: FUZZ_SEED / RELIABILITY_SEED from the environment, else the given default. */
export function seedFrom(name: string, fallback: number): number {
	const raw = process.env[name];
	const n = raw === undefined ? NaN : Number(raw);
	return Number.isInteger(n) ? n : fallback;
}

/**
 * A native JSONL transcript of `count` conversations with `perConversation` messages each, lines interleaved
 * across conversations (as real exports are), three roles, one multi-line message per conversation.
 */
export function writeTranscript(path: string, count: number, perConversation: number, tag: string): void {
	const lines: string[] = [];
	const start = Date.UTC(2024, 5, 1, 8, 0, 0);
	for (let m = 0; m < perConversation; m++) {
		for (let c = 0; c < count; c++) {
			const role = m % 3 === 0 ? 'end-user' : m % 3 === 1 ? 'agent' : 'bot';
			lines.push(
				JSON.stringify({
					conversationId: `${tag}-${c}`,
					senderId: role === 'end-user' ? `cust-${c}` : role === 'agent' ? `agent-${c % 3}` : 'faqbot',
					senderName: role === 'end-user' ? `Customer ${c}` : role === 'agent' ? `Agent ${c % 3}` : 'FAQ bot',
					role,
					text: m === 1 ? `Hello,\nthis is line ${m} of ${tag}-${c}` : `Message ${m} of ${tag}-${c}`,
					timestamp: new Date(start + c * 3_600_000 + m * 45_000).toISOString(),
				}),
			);
		}
	}
	writeFileSync(path, `${lines.join('\n')}\n`);
}

export async function readTranscript(path: string): Promise<Conversation[]> {
	const t = await openTranscript(path, {timezone: 'UTC'});
	const out: Conversation[] = [];
	for await (const item of t.items()) if (item.conversation) out.push(item.conversation);
	return out;
}

export interface CliRun {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	/** NDJSON lines seen on stdout (with --json). */
	events: number;
	/** Why the harness stopped it, when it did. */
	stoppedBy?: string;
}

export interface CliControl {
	/** Send `signal` once this many NDJSON lines were printed. */
	afterEvents?: number;
	/** Send `signal` after this many ms of wall time. */
	afterMs?: number;
	signal?: NodeJS.Signals;
	/** Called for every NDJSON line; may send signals through `kill`. */
	onEvent?: (event: {type: string; [k: string]: unknown}, kill: (signal: NodeJS.Signals) => void) => void;
	/** Send the signal when the first line of stderr matching this appears. */
	onStderr?: RegExp;
	stdin?: string;
	cwd?: string;
	/** Give up (SIGKILL, reported as `stoppedBy: 'deadline'`) after this long. */
	deadlineMs?: number;
	/** Called once the process is spawned, with a way to signal it (e.g. from a poller). */
	onSpawn?: (kill: (signal: NodeJS.Signals) => void) => void;
}

/** Runs the built CLI with a minimal environment (PATH, TZ plus `env`). */
export function runCli(args: string[], env: Record<string, string>, control: CliControl = {}): Promise<CliRun> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [CLI, ...args], {cwd: control.cwd ?? root, env: {PATH: process.env['PATH'] ?? '', TZ: 'UTC', ...env}, stdio: ['pipe', 'pipe', 'pipe']});
		const run: CliRun = {code: null, signal: null, stdout: '', stderr: '', events: 0};
		const signal = control.signal ?? 'SIGKILL';
		let sent = false;
		const kill = (s: NodeJS.Signals, why: string) => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			run.stoppedBy ??= why;
			child.kill(s);
		};
		const once = (why: string) => {
			if (sent) return;
			sent = true;
			kill(signal, why);
		};
		let partial = '';
		child.stdout.on('data', (d: Buffer) => {
			const text = d.toString();
			run.stdout += text;
			partial += text;
			const lines = partial.split('\n');
			partial = lines.pop() ?? '';
			for (const line of lines) {
				if (line.trim() === '') continue;
				run.events++;
				if (control.onEvent) {
					let event: {type: string};
					try {
						event = JSON.parse(line) as {type: string};
					} catch {
						continue;
					}
					control.onEvent(event, (s) => kill(s, `${s} at event ${run.events} (${event.type})`));
				}
				if (control.afterEvents !== undefined && run.events >= control.afterEvents) once(`${signal} after ${run.events} events`);
			}
		});
		child.stderr.on('data', (d: Buffer) => {
			run.stderr += d.toString();
			if (control.onStderr && control.onStderr.test(run.stderr)) once(`${signal} on stderr ${control.onStderr}`);
		});
		const timers: NodeJS.Timeout[] = [];
		if (control.afterMs !== undefined) timers.push(setTimeout(() => once(`${signal} after ${control.afterMs} ms`), control.afterMs));
		if (control.deadlineMs !== undefined) timers.push(setTimeout(() => kill('SIGKILL', 'deadline'), control.deadlineMs));
		control.onSpawn?.((s) => kill(s, `${s} from onSpawn`));
		child.stdin.on('error', () => {});
		child.stdin.end(control.stdin ?? '');
		// 'close', not 'exit': only then are stdout and stderr drained (the last events can arrive after 'exit').
		child.on('close', (code, sig) => {
			for (const t of timers) clearTimeout(t);
			run.code = code;
			run.signal = sig;
			resolve(run);
		});
	});
}

export interface ReadBack {
	conversations: number;
	/** Transcript messages expected. */
	expected: number;
	/** Messages stored by the server for these conversations (ours and any other). */
	stored: number;
	missingConversations: string[];
	/** Import keys stored more than once, as `conversationId:mN`. */
	duplicated: string[];
	/** Import keys absent, as `conversationId:mN`. */
	missing: string[];
	/** Stored messages without one of our import keys (e.g. a `first_text` turned into a message). */
	foreign: number;
	/** Conversations whose messages, sorted by `attributes.clienttimestamp`, are not in import key order m0…mN. */
	misordered: string[];
	/** Stored content that differs from the transcript (text, sender name, clienttimestamp). */
	mismatched: string[];
}

/**
 * Reads every conversation back from the server (directly, never through a fault proxy) and checks that each
 * transcript message is stored exactly once, with its text, sender name and timestamp, in import key order.
 */
export async function readBack(api: TiledeskApi, projectId: string, source: string, conversations: Conversation[], parallel = 6): Promise<ReadBack> {
	const out: ReadBack = {conversations: conversations.length, expected: 0, stored: 0, missingConversations: [], duplicated: [], missing: [], foreign: 0, misordered: [], mismatched: []};
	const queue = [...conversations];
	const worker = async () => {
		for (let c = queue.shift(); c; c = queue.shift()) {
			const rid = requestIdFor(projectId, source, c.id);
			out.expected += c.messages.length;
			const request = await api.getRequest(rid);
			if (!request) {
				out.missingConversations.push(c.id);
				out.missing.push(...c.messages.map((_, i) => `${c.id}:m${i}`));
				continue;
			}
			const stored: TiledeskMessage[] = await api.listMessages(rid);
			out.stored += stored.length;
			const seen = new Map<string, TiledeskMessage>();
			for (const m of stored) {
				const key = m.attributes?.['import_key'];
				if (typeof key !== 'string') {
					out.foreign++;
					continue;
				}
				if (seen.has(key)) out.duplicated.push(`${c.id}:${key}`);
				seen.set(key, m);
			}
			c.messages.forEach((source, i) => {
				const m = seen.get(`m${i}`);
				if (!m) return void out.missing.push(`${c.id}:m${i}`);
				const got = [m.text, m.senderFullname, m.attributes?.['clienttimestamp']];
				const want = [source.text, source.senderName, source.clientTimestamp];
				if (JSON.stringify(got) !== JSON.stringify(want)) out.mismatched.push(`${c.id}:m${i}`);
			});
			const byTime = [...stored].filter((m) => typeof m.attributes?.['import_key'] === 'string').sort((a, b) => Number(a.attributes?.['clienttimestamp']) - Number(b.attributes?.['clienttimestamp']));
			const keys = byTime.map((m) => m.attributes?.['import_key']);
			const distinct = [...new Set(keys)];
			if (distinct.some((k, i) => k !== `m${i}`)) out.misordered.push(c.id);
		}
	};
	await Promise.all(Array.from({length: parallel}, worker));
	return out;
}

/** True when the read-back shows every message exactly once, in order, as in the transcript. */
export function exactlyOnce(r: ReadBack): boolean {
	return r.missingConversations.length + r.duplicated.length + r.missing.length + r.foreign + r.misordered.length + r.mismatched.length === 0 && r.stored === r.expected;
}

export interface JournalCheck {
	files: number;
	lines: number;
	/** Lines that are not a valid journal entry (a kill -9 may tear the last line of a run). */
	damaged: number;
	runs: number;
	done: number;
}

/** Parses every journal under `$XDG_STATE_HOME/tiledesk-import/journals`, line by line and through the engine's replay. */
export function checkJournals(stateHome: string): JournalCheck {
	const folder = join(stateHome, 'tiledesk-import', 'journals');
	const out: JournalCheck = {files: 0, lines: 0, damaged: 0, runs: 0, done: 0};
	if (!existsSync(folder)) return out;
	for (const name of readdirSync(folder).filter((n) => n.endsWith('.ndjson'))) {
		const path = join(folder, name);
		out.files++;
		out.lines += readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
		const journal = Journal.open(path);
		journal.close();
		out.damaged += journal.state.damaged;
		out.runs += journal.state.runs.length;
		out.done += journal.state.done.size;
	}
	return out;
}

/** Source conversation ids the journals under a state home record as finished (imported, completed, unchanged). */
export function journalClaims(stateHome: string): Set<string> {
	const out = new Set<string>();
	for (const path of journalFiles(stateHome)) {
		const journal = Journal.open(path);
		journal.close();
		for (const done of journal.state.done.values()) if (FINAL.has(done.status)) out.add(done.sourceId);
	}
	return out;
}

/** The journal files under a state home. */
export function journalFiles(stateHome: string): string[] {
	const folder = join(stateHome, 'tiledesk-import', 'journals');
	return existsSync(folder) ? readdirSync(folder).filter((n) => n.endsWith('.ndjson')).map((n) => join(folder, n)) : [];
}

export interface KillPlan {
	/**
	 * `work`: after the k-th event of real work (a conversation started, a step, messages sent, a retry);
	 * `time`: t ms after the run started importing (`run-started`); `startup`: t ms after the process was spawned
	 * (signing in, reading the file, planning).
	 */
	kind: 'work' | 'time' | 'startup';
	at: number;
}

export interface CrashOutcome {
	/** Runs killed with SIGKILL (kill points actually hit). */
	kills: KillPlan[];
	/** Kill points drawn but not hit because the run finished first. */
	missed: KillPlan[];
	/** Runs in all, including the final one that completed. */
	runs: number;
	final: CliRun;
	journal: JournalCheck;
	readBack: ReadBack;
	/** NDJSON events seen per run. */
	events: number[];
}

export interface CrashScenario {
	url: string;
	projectId: string;
	email: string;
	password: string;
	/** Transcript path and the conversations it holds. */
	file: string;
	conversations: Conversation[];
	source: string;
	stateHome: string;
	reportDir: string;
	seed: number;
	/** Kill points to try, cycling work, time, work, time, startup. */
	kills: number;
	/** Work events one conversation takes (for drawing work kill points within the work left). */
	workPerConversation: number;
	/** Upper bound of a `time` kill point (ms after run-started), and of a `startup` one (ms after spawn). */
	maxTimeMs: number;
	maxStartupMs: number;
	extraArgs?: string[];
	/** Reads back directly from the server. */
	api: TiledeskApi;
	/** Hard cap per child run. */
	deadlineMs?: number;
}

const WORK = new Set(['conversation-started', 'step', 'messages-sent', 'retry']);
const FINAL = new Set(['imported', 'completed', 'unchanged']);

/**
 * Imports `file` with the built CLI, SIGKILLing it at `kills` seeded random points (work event counts, times
 * after the run started, times after spawn), re-running after each, then once more to completion; finally reads
 * everything back and parses the journals. Work kill points are drawn within the work left, so most of them hit.
 */
export async function crashAndResume(s: CrashScenario): Promise<CrashOutcome> {
	const random = seededRandom(s.seed);
	const env = {TILEDESK_URL: s.url, TILEDESK_PROJECT_ID: s.projectId, TILEDESK_EMAIL: s.email, TILEDESK_PASSWORD: s.password, XDG_STATE_HOME: s.stateHome};
	const args = ['import', s.file, '--yes', '--json', '--source', s.source, '--report-dir', s.reportDir, ...(s.extraArgs ?? [])];
	const kills: KillPlan[] = [];
	const missed: KillPlan[] = [];
	const events: number[] = [];
	const finished = new Set<string>();
	let runs = 0;
	const cycle: KillPlan['kind'][] = ['work', 'time', 'work', 'time', 'startup'];
	for (let k = 0; k < s.kills; k++) {
		const kind = cycle[k % cycle.length]!;
		const left = Math.max(1, s.conversations.length - finished.size);
		const at =
			kind === 'work'
				? 1 + Math.floor(random() * left * s.workPerConversation * 0.6)
				: 1 + Math.floor(random() * (kind === 'time' ? s.maxTimeMs : s.maxStartupMs));
		const plan: KillPlan = {kind, at};
		let work = 0;
		const run = await runCli(args, env, {
			...(kind === 'startup' ? {afterMs: at} : {}),
			signal: 'SIGKILL',
			...(s.deadlineMs ? {deadlineMs: s.deadlineMs} : {}),
			onEvent: (event, kill) => {
				if (event.type === 'conversation-finished') {
					const result = event['result'] as {sourceId: string; status: string};
					if (FINAL.has(result.status)) finished.add(result.sourceId);
				}
				if (kind === 'work' && WORK.has(event.type) && ++work === at) kill('SIGKILL');
				if (kind === 'time' && event.type === 'run-started') setTimeout(() => kill('SIGKILL'), at);
			},
		});
		runs++;
		events.push(run.events);
		if (run.signal === 'SIGKILL' && run.stoppedBy !== 'deadline') kills.push(plan);
		else if (run.code === 0) {
			missed.push(plan);
			if (finished.size >= s.conversations.length) break; // all done: nothing left to crash
		} else throw new Error(`run ${runs} ended with ${run.code ?? run.signal} (${run.stoppedBy ?? 'no kill'}): ${run.stderr.slice(-2000)}`);
	}
	const final = await runCli(args, env, s.deadlineMs ? {deadlineMs: s.deadlineMs} : {});
	runs++;
	events.push(final.events);
	const journal = checkJournals(s.stateHome);
	const back = await readBack(s.api, s.projectId, s.source, s.conversations);
	return {kills, missed, runs, final, journal, readBack: back, events};
}

export interface InProcessImport {
	/** Where the importer's calls go (a fault proxy, or the server itself). */
	url: string;
	projectId: string;
	/** A `JWT …` token from signing in directly to the server. */
	token: string;
	file: string;
	source: string;
	journalPath: string;
	/** Short timeouts so hung responses fail fast (the CLI's default is 30 s). */
	timeouts?: {connectMs?: number; headersMs?: number; bodyMs?: number};
	options?: ImportOptionsInput;
	retry?: RetryPolicy;
	/** Called once the client is connected, before the run starts (e.g. to switch faults on). */
	beforeStart?: () => void | Promise<void>;
	onEvent?: (event: ImportEvent, run: ImportRun) => void;
}

/** The engine in-process with a TiledeskClient of short timeouts; returns the outcome and the events seen by type. */
export async function importInProcess(s: InProcessImport): Promise<{outcome: RunOutcome; events: Record<string, number>}> {
	const client = new TiledeskClient({baseUrl: s.url, projectId: s.projectId, auth: {kind: 'jwt', token: s.token}, timeouts: {connectMs: 2000, headersMs: 1500, bodyMs: 1500, ...s.timeouts}});
	try {
		const connection = await client.testConnection();
		const source = await openSource(s.file, s.file, {timezone: 'UTC'});
		const run = new ImportRun({
			api: client,
			connection,
			source,
			options: importOptions({source: s.source, ...s.options}),
			toolVersion: 'reliability-test',
			journalPath: s.journalPath,
			reportDir: false,
			retry: s.retry ?? {attempts: 10, baseMs: 25, maxMs: 400},
		});
		const events: Record<string, number> = {};
		run.subscribe((e) => {
			events[e.type] = (events[e.type] ?? 0) + 1;
			s.onEvent?.(e, run);
		});
		await s.beforeStart?.();
		const outcome = await run.start();
		return {outcome, events};
	} finally {
		await client.close();
	}
}
