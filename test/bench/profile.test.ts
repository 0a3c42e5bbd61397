// The TUI benchmark's attribution of main-thread samples (bench/lib/profile.ts): the screen's time is every sample
// with a frame of the screen's code on its stack, whoever called it; GC, idle and native time are kept apart.
import {describe, expect, it} from 'vitest';
import {splitMainThread, startProfile, type CpuProfile} from '../../bench/lib/profile.js';

const ROOT = 'file:///work/app';
const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({id, callFrame: {functionName, url}, children});

/** A profile with the shapes that matter; `samples` pairs a node with the µs it took. */
function profile(samples: [number, number][]): CpuProfile {
	return {
		nodes: [
			frame(1, '(root)', '', [2, 3, 4, 5, 9, 11]),
			frame(2, '(idle)', ''),
			frame(3, '(garbage collector)', ''),
			frame(4, '(program)', ''),
			// The engine emits an event; the store's push (screen) runs under it, and Date.now under that.
			frame(5, 'runConversation', `${ROOT}/dist/core/import/engine.js`, [6]),
			frame(6, 'emit', `${ROOT}/dist/core/import/engine.js`, [7]),
			frame(7, 'push', `${ROOT}/dist/core/import/store.js`, [8]),
			frame(8, 'now', ''),
			// A React commit from a microtask: Ink renders and writes to the terminal (a stream: Node's code).
			frame(9, 'performWorkOnRoot', `${ROOT}/node_modules/react-reconciler/cjs/react-reconciler.production.js`, [10]),
			frame(10, 'write', 'node:internal/streams/writable'),
			// The client's HTTP: not the screen.
			frame(11, 'request', `${ROOT}/node_modules/undici/lib/api/api-request.js`, [12]),
			// A package whose name starts like a screen package is not one.
			frame(12, 'parse', `${ROOT}/node_modules/react-native-fake/index.js`),
		],
		samples: samples.map(([id]) => id),
		timeDeltas: samples.map(([, us]) => us),
	};
}

describe('main-thread split', () => {
	it('counts a sample as the screen when a screen frame is anywhere on its stack, and keeps idle, GC and native apart', () => {
		const split = splitMainThread(
			profile([
				[2, 4000],
				[3, 500],
				[4, 250],
				[5, 1000],
				[6, 1000],
				[7, 300],
				[8, 200],
				[9, 700],
				[10, 300],
				[11, 800],
				[12, 100],
			]),
		);
		const expected = {totalMs: 9.15, idleMs: 4, gcMs: 0.5, programMs: 0.25, screenMs: 1.5, otherMs: 2.9};
		expect(Object.keys(split).sort()).toEqual(Object.keys(expected).sort());
		for (const [k, v] of Object.entries(expected)) expect(split[k as keyof typeof split], k).toBeCloseTo(v, 9);
	});

	it('profiles this process: a busy loop of known length shows as busy, a wait as idle', async () => {
		const profiler = await startProfile(200);
		const t0 = performance.now();
		while (performance.now() - t0 < 60);
		await new Promise((r) => setTimeout(r, 80));
		const split = splitMainThread(await profiler.stop());
		expect(split.totalMs).toBeGreaterThan(120);
		expect(split.totalMs - split.idleMs).toBeGreaterThan(40);
		expect(split.idleMs).toBeGreaterThan(40);
		expect(split.screenMs).toBe(0);
	});
});
