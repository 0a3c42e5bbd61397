/** Small helpers for the suites: medians, formatting. */
import type {ChildResult} from './types.js';

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median run of a case (by wall time) and the largest peak RSS over its runs. */
export function summarize(runs: ChildResult[]): {ms: number; cpuMs: number; maxRssMB: number; last: ChildResult} {
	return {ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)), last: runs[runs.length - 1]!};
}

export const fmt = {
	ms: (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`),
	mb: (bytes: number) => (bytes / 1_048_576).toFixed(1),
	rate: (v: number) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(0)} k` : v.toFixed(0)),
	ratio: (v: number) => `${v.toFixed(2)}×`,
};

/** Runs two cases alternately (so both see the same background load) `repeat` times each. */
export async function alternate(repeat: number, a: () => Promise<ChildResult>, b: () => Promise<ChildResult>): Promise<[ChildResult[], ChildResult[]]> {
	const ra: ChildResult[] = [];
	const rb: ChildResult[] = [];
	for (let i = 0; i < repeat; i++) {
		ra.push(await a());
		rb.push(await b());
	}
	return [ra, rb];
}
