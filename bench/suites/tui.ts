/**
 * What the live import screen costs: the same `ImportRun` on the same workload against the same sandbox, run
 * headless (no subscriber at all: the engine alone) and with the real `ImportScreen` rendered by Ink into a fake
 * 80 × 24 TTY, the progress store subscribed exactly as the wizard does it (use-wizard.ts, 'import' effect).
 * Reports wall and CPU time of both (CPU is the honest number on a latency-bound import, where wall time hides
 * the work), the overhead %, the frames, bytes and frame gaps the screen wrote while the import ran, and, from V8's
 * profiler inside TUI and headless runs, the screen's share of the import's main thread (bench/lib/profile.ts): a
 * measure taken within each run, which the A/B differences (two runs on a shared 2-core machine) cannot give to ±5 %.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {availableParallelism, tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough, Writable} from 'node:stream';
import {Box, render, Text} from 'ink';
import {createElement} from 'react';
import {connect} from '../../source/core/connection/connect.js';
import {ImportRun} from '../../source/core/import/engine.js';
import {importOptions} from '../../source/core/import/options.js';
import {openSource} from '../../source/core/import/source.js';
import {createProgressStore} from '../../source/core/import/store.js';
import {Header} from '../../source/ui/components/header.js';
import {KeyHints} from '../../source/ui/components/key-hints.js';
import {ProgressBar} from '../../source/ui/components/progress-bar.js';
import {ImportScreen} from '../../source/ui/screens/import-screen.js';
import {splitMainThread, startProfile, type MainThreadSplit} from '../lib/profile.js';
import {sandbox, workload, type ServerArgs} from '../lib/servers.js';
import {threadCpu, threadCpuSince, type ThreadCpu} from '../lib/threads.js';
import {fmt, median} from '../lib/stats.js';
import type {ChildResult, Suite, SuiteResult, Table} from '../lib/types.js';

const COLUMNS = 80;
const ROWS = 24;
const TARGET = 5; // %
/** Frames the Ink instance renders (40 ms apart) before the clock starts. */
const WARMUP_FRAMES = 25;

type Mode = 'headless' | 'tui';
type Verdict = 'met' | 'NOT met' | 'undecided';

interface Variant {
	key: string;
	mode: Mode;
	/** NODE_ENV for the child, if not the runner's. */
	env?: string;
	label: string;
}

interface TaskArgs extends ServerArgs {
	path: string;
	mode: Mode;
	tag: string;
	/** Profile the run's main thread (V8's sampling profiler) and split it by kind (bench/lib/profile.ts). */
	profile?: boolean;
}


const ESU = '\u001B[?2026l';
/**
 * A write of finished lines above the live region (ImportScreen → Ink's `write`): a chunk of its own that starts
 * with an outcome symbol, coloured or not, where Ink's own chunks start with a cursor or erase sequence.
 */
// eslint-disable-next-line no-control-regex
const FINISHED_CHUNK = /^(?:\u001B\[[0-9;]*m)*[✔=·✖⊘↷+x!-] /;

/**
 * A terminal that costs nothing: isTTY, 80 × 24, every write accepted at once and counted. A frame is one
 * synchronized update of the live region (Ink brackets each TTY update in BSU … ESU), counted at its ESU, its time
 * kept for the gaps; an update that writes finished lines above the live region (and draws the same live region
 * again under them) is counted apart, as a write of finished lines.
 */
class FakeTty extends Writable {
	readonly isTTY = true;
	readonly columns = COLUMNS;
	readonly rows = ROWS;
	writes = 0;
	frameTimes: number[] = [];
	/** Times of the updates that wrote finished lines. */
	finishedWriteTimes: number[] = [];
	private updateHasFinished = false;
	/** [time, bytes so far] after each write. */
	private written: [number, number][] = [];
	private total = 0;
	text: string[] = [];
	override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		const s = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
		const now = performance.now();
		this.writes++;
		this.total += Buffer.byteLength(s);
		this.written.push([now, this.total]);
		if (FINISHED_CHUNK.test(s)) this.updateHasFinished = true;
		if (s.endsWith(ESU)) {
			(this.updateHasFinished ? this.finishedWriteTimes : this.frameTimes).push(now);
			this.updateHasFinished = false;
		}
		this.text.push(s);
		callback();
	}
	/** Forget what the warm-up wrote. */
	reset(): void {
		this.writes = 0;
		this.frameTimes = [];
		this.finishedWriteTimes = [];
		this.written = [];
		this.total = 0;
		this.text = [];
	}
	/** Bytes written up to time `t`. */
	bytesAt(t: number): number {
		let bytes = 0;
		for (const [time, total] of this.written) if (time <= t) bytes = total;
		return bytes;
	}
	getColorDepth(): number {
		return 8;
	}
	hasColors(): boolean {
		return true;
	}
}

/** A confirm-like screen (header, lines, a bar, key hints) to warm the Ink instance up before the import screen. */
function warmup(n: number) {
	return createElement(
		Box,
		{flexDirection: 'column'},
		createElement(Header, {stage: 'Options', title: 'Ready to import'}),
		createElement(Text, null, `${200 + n} conversations · ${1600 + n} messages · 4 in flight`),
		createElement(Text, null, 'checking ', createElement(ProgressBar, {done: n, total: WARMUP_FRAMES, width: 40})),
		createElement(KeyHints, {hints: [['enter', 'import'], ['esc', 'back'], ['q', 'quit']]}),
	);
}


/**
 * The Ink instance of a TUI run, already warm: rendered into `tty` with the wizard's options, then WARMUP_FRAMES
 * frames of a confirm-like screen 40 ms apart (without a tty: the same wait, nothing rendered).
 */
async function warmInk(tty: FakeTty | undefined, stats: {renders: number; inkRenderMs: number}) {
	const instance = tty
		? render(warmup(0), {
				stdout: tty as unknown as NodeJS.WriteStream,
				stdin: fakeStdin(),
				stderr: tty as unknown as NodeJS.WriteStream,
				exitOnCtrlC: false,
				onRender: ({renderTime}) => {
					stats.renders++;
					stats.inkRenderMs += renderTime;
				},
			})
		: undefined;
	for (let i = 1; i < WARMUP_FRAMES; i++) {
		await new Promise((r) => setTimeout(r, 40));
		instance?.rerender(warmup(i));
	}
	await new Promise((r) => setTimeout(r, 40));
	return instance;
}

/** A TTY stdin that never types: raw mode is a no-op, so `useInput` is active as in a real terminal. */
function fakeStdin(): NodeJS.ReadStream {
	const s = new PassThrough() as unknown as NodeJS.ReadStream & {isTTY: boolean};
	Object.assign(s, {isTTY: true, setRawMode: () => s, ref: () => s, unref: () => s});
	return s;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[A-Za-z]|\u001B\][^\u0007]*\u0007/g;

export const tuiSuite: Suite = {
	name: 'tui',
	tasks: {
		async 'tui:import'(raw) {
			const a = raw as unknown as TaskArgs;
			const work = mkdtempSync(join(tmpdir(), 'tdi-bench-tui-'));
			const source = await openSource(a.path, a.path, {timezone: 'UTC'});
			// Signed in before the clock, as in the wizard (the connection screen came long before the import).
			const connected = await connect({baseUrl: a.url, projectId: a.projectId, email: a.email, password: a.password}, {needRole: 'agent'});
			const tty = a.mode === 'tui' ? new FakeTty() : undefined;
			const stats = {renders: 0, inkRenderMs: 0, notifications: 0};
			// The wizard's Ink instance exists, and has rendered the earlier screens, before the import starts: do the same
			// (frames of a confirm-like screen), so the clock sees the screen switch, not Ink's and React's first run.
			// Both modes wait the same before the clock (so V8's background compilation and GC after loading and sign-in
			// fall outside it alike); the TUI spends the wait rendering, about as many frames as a scan screen shows in a second.
			const instance = await warmInk(tty, stats);
			Object.assign(stats, {renders: 0, inkRenderMs: 0});
			tty?.reset();
			const profiler = a.profile ? await startProfile() : undefined;
			const threads0 = threadCpu();
			const cpu0 = process.cpuUsage();
			const t0 = performance.now();
			const run = new ImportRun({
				api: connected.client,
				connection: connected.info,
				source,
				options: importOptions({source: `tui-${a.tag}`}),
				toolVersion: 'bench',
				journalPath: join(work, 'journal.ndjson'),
				reportDir: false,
				roundTripMs: connected.roundTripMs,
			});
			let mountCpuMs = 0;
			const store = createProgressStore();
			if (instance) {
				// As the wizard's 'import' effect: a fresh store fed by the run, then the screen shows it.
				run.subscribe((e) => store.push(e));
				store.subscribe(() => stats.notifications++);
				const m0 = process.cpuUsage();
				instance.rerender(createElement(ImportScreen, {run, store}));
				const m = process.cpuUsage(m0);
				mountCpuMs = (m.user + m.system) / 1000;
			}
			const outcome = await run.start();
			const wallMs = performance.now() - t0;
			const cpu = process.cpuUsage(cpu0);
			const threads = threadCpuSince(threads0);
			const split = profiler ? splitMainThread(await profiler.stop()) : undefined;
			const t1 = t0 + wallMs;
			if (instance) {
				instance.unmount();
				await instance.waitUntilExit();
			}
			store.dispose();
			await connected.client.close();
			rmSync(work, {recursive: true, force: true});
			if (outcome.totals.byStatus.imported !== outcome.totals.conversations) throw new Error(`not all imported: ${JSON.stringify(outcome.totals.byStatus)}`);
			const result: Record<string, unknown> = {wallMs, runCpuMs: (cpu.user + cpu.system) / 1000, conversations: outcome.totals.conversations, apiCalls: outcome.totals.apiCalls, nodeEnv: process.env['NODE_ENV'] ?? '', ...(split ? {main: split} : {}), ...(threads ? {threads} : {})};
			if (tty) {
				// Frames written while the import ran, and the longest wait between two (from the start, to the end).
				const during = tty.frameTimes.filter((t) => t >= t0 && t <= t1);
				const edges = [t0, ...during, t1];
				const gaps = edges.slice(1).map((t, i) => t - edges[i]!);
				const bytesDuring = tty.bytesAt(t1);
				const plain = tty.text.join('').replace(ANSI, '');
				// Each finished conversation on a line of its own, or counted in a folded line (many successes in one frame).
				const named = new Set([...plain.matchAll(/(bench-\d+) \d+ messages/g)].map((m) => m[1])).size;
				const folded = [...plain.matchAll(/(\d+) conversations bench-\d+ … bench-\d+, \d+ messages/g)].reduce((n, m) => n + Number(m[1]), 0);
				const foldedLines = [...plain.matchAll(/\d+ conversations bench-\d+ … bench-\d+/g)].length;
				const finishedShown = named + folded;
				Object.assign(result, {
					mountCpuMs,
					framesDuringRun: during.length,
					finishedWrites: tty.finishedWriteTimes.filter((t) => t >= t0 && t <= t1).length,
					maxFrameGapMs: Math.max(...gaps),
					bytesDuringRun: bytesDuring,
					writes: tty.writes,
					renders: stats.renders,
					inkRenderMs: stats.inkRenderMs,
					notifications: stats.notifications,
					finishedShown,
					finishedNamed: named,
					foldedLines,
					ci: Boolean(process.env['CI']),
				});
			}
			return result;
		},
	},
	async run(ctx): Promise<SuiteResult> {
		const root = join(ctx.dataDir, '..', '..', '..');
		// Imports of a few seconds each (1500 conversations take ~3.5 s at 0 ms, 300 ~3 s at 20 ms): a shared machine's
		// noise swamps a few per cent of a shorter one, and the screen's first frames (before V8 has compiled its code)
		// weigh less, as in the long imports this is for.
		const workloads: Record<number, number> = ctx.quick ? {0: 100, 20: 100} : {0: 1500, 20: 300};
		const messages = 8;
		const latencies = [0, 20];
		// The CLI sets NODE_ENV=production (source/cli.ts) before React loads; the development build is measured too, as
		// the cost a run under `NODE_ENV=development` would pay.
		const variants: Variant[] = [
			{key: 'headless', mode: 'headless', label: 'headless'},
			{key: 'tui', mode: 'tui', env: 'production', label: 'as shipped (React production build)'},
			{key: 'tui-dev', mode: 'tui', env: 'development', label: 'React development build'},
		];
		const tuis = variants.filter((v) => v.mode === 'tui');
		const overhead: Table = {columns: ['Server', 'TUI', 'Headless wall', 'TUI wall', 'Wall overhead', 'Wall overhead, per pair', 'Headless CPU', 'TUI CPU', 'CPU overhead', 'Extra CPU per second', 'Screen mount CPU'], rows: []};
		const frames: Table = {columns: ['Server', 'TUI', 'Frames/s', 'Longest frame gap', 'Ink renders', 'Ink render time', 'Extra CPU per frame', 'Store notifications', 'Writes of finished lines', 'Bytes/s', 'Finished shown (own line + folded)'], rows: []};
		const mainThread: Table = {columns: ['Server', 'Main thread busy (headless / TUI)', "Screen's share of the TUI run's wall time", 'of its busy main thread', 'Screen per second of import', 'GC on the main thread (headless / TUI)', 'Helper threads, A/B runs (headless / TUI)', 'Bound 1: main thread (screen + extra GC)', "Bound 2: all the screen's CPU ÷ cores", "Screen's share, per run"], rows: []};
		const headlessVariant = variants.find((v) => v.key === 'headless')!;
		const shippedVariant = variants.find((v) => v.key === 'tui')!;
		const profiledShares: {latency: number; share: number; perSecond: number; wallBound: number}[] = [];
		const notes: string[] = [];
		const shipped: {latency: number; wall: number; cpu: number; verdict: Verdict; perSecond: number}[] = [];
		const pct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`;
		/** A share (never negative). */
		const pc = (v: number) => `${v.toFixed(1)} %`;
		for (const latency of latencies) {
			const conversations = workloads[latency]!;
			const name = `sandbox, ${latency} ms, ${conversations} × ${messages}`;
			const server = await sandbox(root, latency);
			try {
				const path = workload(join(ctx.dataDir, 'import'), conversations, messages, 'tui');
				const runs: Record<string, ChildResult[]> = Object.fromEntries(variants.map((v) => [v.key, []]));
				/** One import in a child process, in variant `v`'s mode and React build. */
				const importIn = async (v: Variant, tag: string, extra: Partial<TaskArgs> = {}): Promise<ChildResult> => {
					const previous = process.env['NODE_ENV'];
					if (v.env) process.env['NODE_ENV'] = v.env; // the child inherits the runner's environment
					try {
						return await ctx.child('tui:import', {url: server.url, email: server.email, password: server.password, projectId: server.projectId, path, mode: v.mode, tag, ...extra});
					} finally {
						if (previous === undefined) delete process.env['NODE_ENV'];
						else process.env['NODE_ENV'] = previous;
					}
				};
				// One unmeasured import first: a fresh sandbox process is slower on its first run.
				ctx.log(`tui: ${name} warm-up (${conversations} × ${messages})`);
				await ctx.child('tui:import', {url: server.url, email: server.email, password: server.password, projectId: server.projectId, path, mode: 'headless', tag: `warmup${Date.now().toString(36)}`});
				for (let i = 0; i < ctx.repeat; i++) {
					// Alternate the order each round, so drift in the background load falls on every mode alike.
					for (const v of i % 2 === 0 ? variants : [...variants].reverse()) {
						ctx.log(`tui: ${name} ${v.label} (${conversations} × ${messages}) run ${i + 1}/${ctx.repeat}`);
						runs[v.key]!.push(await importIn(v, `${v.key}${Date.now().toString(36)}${i}`));
					}
				}
				const m = (key: string, field: string) => median(runs[key]!.map((r) => Number(r[field])));
				const hWall = m('headless', 'wallMs');
				const hCpu = m('headless', 'runCpuMs');
				for (const v of tuis) {
					const [wall, cpu] = [m(v.key, 'wallMs'), m(v.key, 'runCpuMs')];
					const wallOver = (wall / hWall - 1) * 100;
					const cpuOver = (cpu / hCpu - 1) * 100;
					const pairs = runs[v.key]!.map((r, i) => (Number(r['wallMs']) / Number(runs['headless']![i]!['wallMs']) - 1) * 100);
					const extraPerSecond = (cpu - hCpu) / (wall / 1000);
					overhead.rows.push([name, v.label, fmt.ms(hWall), fmt.ms(wall), pct(wallOver), `${pct(Math.min(...pairs))} … ${pct(Math.max(...pairs))}`, fmt.ms(hCpu), fmt.ms(cpu), pct(cpuOver), `${extraPerSecond.toFixed(0)} ms/s`, fmt.ms(m(v.key, 'mountCpuMs'))]);
					const fps = m(v.key, 'framesDuringRun') / (wall / 1000);
					const extraPerFrame = (cpu - hCpu) / Math.max(1, m(v.key, 'framesDuringRun'));
					frames.rows.push([
						name,
						v.label,
						fps.toFixed(1),
						fmt.ms(m(v.key, 'maxFrameGapMs')),
						m(v.key, 'renders').toFixed(0),
						fmt.ms(m(v.key, 'inkRenderMs')),
						`${extraPerFrame.toFixed(1)} ms`,
						m(v.key, 'notifications').toFixed(0),
						m(v.key, 'finishedWrites').toFixed(0),
						fmt.rate(m(v.key, 'bytesDuringRun') / (wall / 1000)),
						`${m(v.key, 'finishedShown').toFixed(0)} of ${conversations} (${m(v.key, 'finishedNamed').toFixed(0)} + ${m(v.key, 'finishedShown') - m(v.key, 'finishedNamed')} in ${m(v.key, 'foldedLines').toFixed(0)} lines)`,
					]);
					// The median decides when the pairs agree (spread within twice the target); when they spread wider (on a
					// shared machine the 0 ms case mostly waits on the sandbox and the other jobs), only all pairs on one side do.
					const [lo, hi] = [Math.min(...pairs), Math.max(...pairs)];
					const verdict: Verdict = hi - lo <= 2 * TARGET ? (wallOver <= TARGET ? 'met' : 'NOT met') : hi <= TARGET ? 'met' : lo > TARGET ? 'NOT met' : 'undecided';
					if (v.key === 'tui') shipped.push({latency, wall: wallOver, cpu: cpuOver, verdict, perSecond: extraPerSecond});
					notes.push(
						`Sandbox at ${latency} ms, TUI ${v.label}: ${pct(wallOver)} wall time (target ≤ ${TARGET} %: ${verdict === 'undecided' ? `undecided, the pairs range ${pct(Math.min(...pairs))} … ${pct(Math.max(...pairs))}` : verdict}), ${pct(cpuOver)} CPU time of the importing process (${extraPerSecond.toFixed(0)} ms of CPU per second of import, ${((cpu - hCpu) / conversations).toFixed(2)} ms per conversation); ${fps.toFixed(1)} frames/s, longest gap between two frames ${fmt.ms(m(v.key, 'maxFrameGapMs'))}.`,
					);
					const shown = m(v.key, 'finishedShown');
					if (shown < conversations) notes.push(`Sandbox at ${latency} ms, TUI ${v.label}: only ${shown.toFixed(0)} of ${conversations} finished conversations were written above the live region (on a line of their own or in a folded line): the screen did less than it should, so its cost is understated.`);
				}
				// The screen's share of the import's main thread: TUI and headless imports again, each profiled in its own
				// process (the profiler's own cost falls on both alike).
				const profiled: Record<'tui' | 'headless', MainThreadSplit[]> = {tui: [], headless: []};
				for (let i = 0; i < ctx.repeat; i++) {
					for (const v of i % 2 === 0 ? [shippedVariant, headlessVariant] : [headlessVariant, shippedVariant]) {
						ctx.log(`tui: ${name} ${v.label}, main thread profiled, run ${i + 1}/${ctx.repeat}`);
						const r = await importIn(v, `prof${v.key}${Date.now().toString(36)}${i}`, {profile: true});
						profiled[v.mode].push(r['main'] as MainThreadSplit);
					}
				}
				const share = (mode: 'tui' | 'headless', of: (s: MainThreadSplit) => number) => median(profiled[mode].map((s) => (of(s) / s.totalMs) * 100));
				const busyMs = (s: MainThreadSplit) => s.totalMs - s.idleMs;
				const screenOfWall = share('tui', (s) => s.screenMs);
				const screenOfBusy = median(profiled.tui.map((s) => (s.screenMs / busyMs(s)) * 100));
				const [gcHeadless, gcTui] = [share('headless', (s) => s.gcMs), share('tui', (s) => s.gcMs)];
				const extraGc = Math.max(0, gcTui - gcHeadless);
				// V8's helper threads, from the A/B runs (not profiled): what the TUI adds to them, per second of import.
				const helpersPerSecond = (key: string) => median(runs[key]!.map((r) => ((r['threads'] as ThreadCpu | undefined)?.helpersMs ?? Number.NaN) / (Number(r['wallMs']) / 1000)));
				const extraHelpers = helpersPerSecond('tui') - helpersPerSecond('headless');
				// Two bounds on what the screen can add to the wall time: its main-thread time (the import's critical path
				// when the client is the bottleneck), and all the CPU it takes, helper threads included, as a share of the
				// machine's cores (when the machine is: the sandbox runs on the same cores).
				const screenPerSecond = median(profiled.tui.map((s) => s.screenMs / (s.totalMs / 1000)));
				const machineShare = ((screenPerSecond + extraGc * 10 + Math.max(0, extraHelpers || 0)) / (availableParallelism() * 1000)) * 100;
				const wallBound = Math.max(screenOfWall + extraGc, machineShare);
				mainThread.rows.push([
					name,
					`${share('headless', busyMs).toFixed(0)} % / ${share('tui', busyMs).toFixed(0)} %`,
					pc(screenOfWall),
					pc(screenOfBusy),
					`${screenPerSecond.toFixed(1)} ms/s`,
					`${gcHeadless.toFixed(1)} % / ${gcTui.toFixed(1)} %`,
					Number.isNaN(extraHelpers) ? '—' : `${helpersPerSecond('headless').toFixed(0)} / ${helpersPerSecond('tui').toFixed(0)} ms/s`,
					pc(screenOfWall + extraGc),
					pc(machineShare),
					`${pc(Math.min(...profiled.tui.map((s) => (s.screenMs / s.totalMs) * 100)))} … ${pc(Math.max(...profiled.tui.map((s) => (s.screenMs / s.totalMs) * 100)))}`,
				]);
				profiledShares.push({latency, share: screenOfBusy, perSecond: screenPerSecond, wallBound});
				const busy = (hCpu / hWall) * 100;
				notes.push(`Sandbox at ${latency} ms, headless: CPU ÷ wall of the importing process ${busy.toFixed(0)} % (V8's helper threads count too): ${busy >= 80 ? 'CPU-bound, so what the screen costs in CPU it costs in wall time' : `it waited on the sandbox${latency ? ', the injected latency' : ''} and the machine the rest of the time, so the screen's CPU mostly fits in those waits`}.`);
				if (Object.values(runs).some((rs) => rs.some((r) => r['ci']))) notes.push('CI is set in the environment: Ink renders in its CI mode (no live frames), so the frame numbers do not describe a terminal.');
			} finally {
				await server.close();
			}
		}
		// The A/B wall times decide where they can; where they scatter more than the target is wide (the sandbox and the
		// client share two cores), the profile's bound decides: the screen cannot lengthen the import by more than the
		// main-thread time it takes (its JavaScript and the extra collection), all of it counted as if it were on the
		// import's critical path.
		const abVerdict: Verdict = shipped.some((s) => s.verdict === 'NOT met') ? 'NOT met' : shipped.length > 0 && shipped.every((s) => s.verdict === 'met') ? 'met' : 'undecided';
		const boundMet = profiledShares.length > 0 && profiledShares.every((s) => s.wallBound <= TARGET);
		const overall: Verdict = abVerdict !== 'undecided' ? abVerdict : boundMet ? 'met' : 'undecided';
		notes.push(
			`**The screen's share of the import's main thread** (V8's sampling profiler inside TUI imports, medians of ${ctx.repeat}; the import screen as shipped): ${profiledShares.map((s) => `${s.latency} ms: ${s.perSecond.toFixed(1)} ms per second of import, ${pc(s.share)} of the busy main thread, at most ${pc(s.wallBound)} of the wall time`).join('; ')}. Measured inside each run, it does not scatter as the A/B differences do.`,
		);
		notes.push(
			`**TUI overhead target ≤ ${TARGET} %** (wall time of the import, TUI as shipped): **${overall}**${abVerdict === 'undecided' && overall !== 'undecided' ? ' (by the bound from the profiles: the A/B wall times are undecided)' : ''} — A/B wall time ${shipped.map((s) => `${s.latency} ms: ${pct(s.wall)} (${s.verdict})`).join(', ')}; the larger of the two bounds ${profiledShares.map((s) => `${s.latency} ms: ${pc(s.wallBound)}`).join(', ')}. For reference, the A/B CPU time of the whole process: ${shipped.map((s) => `${s.latency} ms: ${pct(s.cpu)} (${s.perSecond.toFixed(0)} ms/s)`).join(', ')}.`,
		);
		return {
			title: 'TUI overhead and frame rate',
			method: [
				`The same \`ImportRun\` (default options: 4 in flight, full read-back verification, journal on disk, no report) imports the same JSONL workload (${latencies.map((l) => `${workloads[l]} conversations at ${l} ms`).join(', ')}, × ${messages} messages, three roles) into the sandbox (a separate process, \`tiledesk-import sandbox --latency MS\`, one per latency). Each run is its own Node process with a fresh source tag (so every run creates every conversation), signed in and then idle for 1 s before the clock starts (as in the wizard, where the connection screen came first); one unmeasured import warms each sandbox up. Modes:`,
				'**headless** — nothing subscribed to the run: the engine alone, the strictest baseline (the `--json` reporter or the line reporter would add their own cost to it);',
				`**TUI** — the real \`ImportScreen\` rendered by Ink's \`render()\` with the wizard's options (\`exitOnCtrlC: false\`, otherwise Ink's defaults: 30 fps cap, not incremental, console patched) into a fake TTY: a \`Writable\` with \`isTTY\`, ${COLUMNS} × ${ROWS}, every write accepted at once and counted, and a TTY stdin whose raw mode is a no-op so \`useInput\` is live. The store is \`createProgressStore()\` subscribed to the run exactly as the wizard's \`import\` effect does. As in the wizard, the Ink instance has already rendered a screen (a confirm-like screen, ${WARMUP_FRAMES} frames during that second): the clock sees the switch to the import screen ("screen mount CPU") and the import, not Ink's, React's and Yoga's first run.`,
				'The TUI runs twice: **as shipped** (`NODE_ENV=production`, which the CLI sets before React loads: React\'s production builds) and with React\'s **development builds** (`NODE_ENV=development`), for comparison.',
				'Wall and CPU time (`process.cpuUsage`, user + system of the importing process, V8\'s GC and compiler threads included) run from creating the run to the end of `run.start()`. On a latency-bound import the wall time hides the work, so the CPU overhead is the honest number; at 0 ms the import is CPU-bound (client and sandbox share the cores), so wall time shows it too.',
				`The modes alternate (the order flips each round); medians of ${ctx.repeat} runs; "per pair" is the range of TUI ÷ headless − 1 over the runs made back to back, the wall-time verdict follows the median when that range is at most twice the target wide, and otherwise only when every pair falls on the same side of the target ("undecided" if not).`,
				'Frames = synchronized terminal updates of the live region written during the import (Ink brackets each in BSU … ESU), per second of it (an update that writes finished lines above the live region is counted apart, under writes of finished lines); the longest gap counts from the start and to the end. Ink renders = Ink layout + output passes (`onRender`), Ink render time their sum (React’s own work is not in it); extra CPU per second = (TUI CPU − headless CPU) ÷ TUI wall time (the share of one core the screen takes), extra CPU per frame = the same difference ÷ frames (it includes the per-conversation work: the store, the lines of finished conversations); store notifications = throttled store wake-ups (≤ 4/s). Bytes/s count what the screen wrote during the import, finished lines (written once above the live region) included. Finished shown: conversations written above the live region on a line of their own, plus those counted in folded lines (more than 5 successes in one frame fold into one line per outcome naming the first and last, as the wizard does; failures always get their own line). The terminal emulator\'s own work (another process) is not measured.',
				"**The screen's share of the main thread** (third table): per latency, TUI (as shipped) and headless imports once more, alternating, each with V8's sampling CPU profiler running in the importing process (node:inspector, a sample every 250 µs, from before the run starts to its end). A sample is the screen's when any frame of its stack is the screen's code: the UI (source/ui), the progress store and its fold, React, Ink and the libraries only Ink uses (bench/lib/profile.ts); so an engine event handed to the store counts from the store's frame down, and the fake terminal's writes count under Ink's. GC samples have no JS stack: the TUI run's main-thread GC share less the headless run's is the extra collection. Two bounds on what the screen can add to the import's wall time, and the verdict takes the larger: (1) its main-thread time, the screen's share of the wall time + the extra GC share, as if every ms of it lengthened the import (the main thread is the import's critical path when the client is the bottleneck); (2) all the CPU it takes, that main-thread time plus what the TUI adds to V8's helper threads (concurrent marking, compilers; per-thread CPU from /proc/self/task over the A/B runs, bench/lib/threads.ts), as a share of the machine's cores (what it takes from the sandbox when the two saturate them).",
			].join('\n'),
			tables: [overhead, frames, mainThread],
			notes,
		};
	},
};
