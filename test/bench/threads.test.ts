// The TUI benchmark's per-thread CPU (bench/lib/threads.ts): work on the main thread counts as the main thread's,
// work on another thread as the helpers'.
import {Worker} from 'node:worker_threads';
import {describe, expect, it} from 'vitest';
import {threadCpu, threadCpuSince} from '../../bench/lib/threads.js';

/** Spins until the process has used `ms` more CPU (a busy machine can take a spin's wall time from it). */
const spin = (ms: number) => {
	const c0 = process.cpuUsage();
	const t0 = Date.now();
	while (process.cpuUsage(c0).user / 1000 < ms && Date.now() - t0 < 10_000);
};

describe.runIf(process.platform === 'linux')('per-thread CPU', () => {
	it('puts a busy main thread under main and a busy worker under helpers', async () => {
		const before = threadCpu();
		spin(200);
		const main = threadCpuSince(before)!;
		// /proc counts in 10 ms ticks.
		expect(main.mainMs).toBeGreaterThanOrEqual(150);
		expect(main.helpersMs).toBeLessThan(main.mainMs);

		// The worker stays alive after its work (a thread that ended is no longer in /proc, nor is its CPU time).
		const worker = new Worker('const c0 = process.cpuUsage(), t0 = Date.now(); while (process.cpuUsage(c0).user < 300_000 && Date.now() - t0 < 10_000); require("node:worker_threads").parentPort.postMessage("done"); setTimeout(() => {}, 60_000);', {eval: true});
		const start = threadCpu();
		await new Promise((resolve) => worker.once('message', resolve));
		const helper = threadCpuSince(start)!;
		await worker.terminate();
		expect(helper.helpersMs).toBeGreaterThanOrEqual(200);
		expect(helper.mainMs).toBeLessThan(helper.helpersMs);
	});
});
