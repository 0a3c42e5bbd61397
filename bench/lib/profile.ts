/**
 * Where a process's main thread spent its time, from V8's sampling CPU profiler (node:inspector, in the process
 * itself): for the TUI suite, how much of an import's main thread the screen took, measured inside one run instead
 * of as the difference of two (which this shared machine scatters by more than the quantity).
 * A sample is the screen's when any frame of its stack is the screen's code: the UI, the progress store, React,
 * Ink and the libraries only Ink uses (from the sources, as the bench compiles them, or from dist/). So an engine event handed to the store counts from the store's frame down,
 * and the fake terminal's write counts under Ink's frame. GC (no JS stack), idle and native time are kept apart.
 */
import {Session} from 'node:inspector/promises';

interface CallFrame {
	functionName: string;
	url: string;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}

export interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/** Main-thread time by kind, ms. */
export interface MainThreadSplit {
	/** Samples: wall time the profile covers (≈ the run). */
	totalMs: number;
	idleMs: number;
	/** V8's collector on the main thread (scavenges and the main-thread parts of marking). */
	gcMs: number;
	/** Native code outside JS that V8 cannot attribute ("(program)"). */
	programMs: number;
	/** JavaScript with a frame of the screen's code on its stack. */
	screenMs: number;
	/** All other JavaScript: the engine, the client, undici, the journal, Node. */
	otherMs: number;
}

const SCREEN_PACKAGES = [
	'react',
	'react-reconciler',
	'scheduler',
	'ink',
	'yoga-layout',
	'string-width',
	'strip-ansi',
	'ansi-regex',
	'@alcalzone/ansi-tokenize',
	'wrap-ansi',
	'cli-truncate',
	'slice-ansi',
	'widest-line',
	'ansi-escapes',
	'ansi-styles',
	'chalk',
	'es-toolkit',
	'get-east-asian-width',
	'emoji-regex',
	'is-fullwidth-code-point',
	'cli-cursor',
	'signal-exit',
];
const SCREEN_URL = new RegExp(`/node_modules/(?:${SCREEN_PACKAGES.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})/|/(?:source|dist)/ui/|/(?:source|dist)/core/import/(?:store|progress)\\.js$`);

/** Splits a profile's samples by kind (see MainThreadSplit). */
export function splitMainThread(profile: CpuProfile): MainThreadSplit {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const kind = new Map<number, 'idle' | 'gc' | 'program' | 'screen' | 'other'>();
	const visit = (id: number, screenAbove: boolean) => {
		const n = byId.get(id)!;
		const name = n.callFrame.functionName;
		const screen = screenAbove || SCREEN_URL.test(n.callFrame.url);
		kind.set(id, name === '(idle)' ? 'idle' : name === '(garbage collector)' ? 'gc' : name === '(program)' ? 'program' : screen ? 'screen' : 'other');
		for (const c of n.children ?? []) visit(c, screen);
	};
	visit(profile.nodes[0]!.id, false);
	const split: MainThreadSplit = {totalMs: 0, idleMs: 0, gcMs: 0, programMs: 0, screenMs: 0, otherMs: 0};
	profile.samples.forEach((id, i) => {
		const ms = (profile.timeDeltas[i] ?? 0) / 1000;
		split.totalMs += ms;
		const k = kind.get(id) ?? 'other';
		split[`${k}Ms`] += ms;
	});
	return split;
}

/** Starts V8's sampling profiler in this process (`intervalUs` between samples); `stop` returns the profile. */
export async function startProfile(intervalUs = 250): Promise<{stop(): Promise<CpuProfile>}> {
	const session = new Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.setSamplingInterval', {interval: intervalUs});
	await session.post('Profiler.start');
	return {
		async stop() {
			const {profile} = (await session.post('Profiler.stop')) as unknown as {profile: CpuProfile};
			session.disconnect();
			return profile;
		},
	};
}
