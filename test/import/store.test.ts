// The progress store and the two forms of the progress fold: in place (what the store does with every event) and
// pure (a new state per event). They must agree, the pure one must not touch its input, and what the store hands
// out must never change afterwards (the screen compares snapshots and keeps the last one it drew).
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {ConversationResult, ConversationStatus, ImportEvent} from '../../source/core/import/events.js';
import {applyProgress, initialProgress, progressReducer, type ProgressState} from '../../source/core/import/progress.js';
import {BUSY_FROM, BUSY_UNTIL, createProgressStore} from '../../source/core/import/store.js';

afterEach(() => {
	vi.useRealTimers();
});

const STATUSES: ConversationStatus[] = ['imported', 'completed', 'unchanged', 'blocked', 'failed', 'cancelled'];

function result(index: number, status: ConversationStatus, messages: number, sent: number): ConversationResult {
	return {index, sourceId: `c${index}`, requestId: `r${index}`, status, created: status === 'imported', messages, sent, alreadyPresent: 0, durationMs: 5, ...(status === 'failed' ? {error: {kind: 'server', message: 'HTTP 500'}} : {})};
}

/** A run of `n` conversations, up to 4 at a time, in a seeded shuffled order, with every kind of event. */
function events(n: number, seed: number): [ImportEvent, number][] {
	// mulberry32: small, seeded, well spread.
	let x = seed;
	const rand = (k: number) => {
		x = (x + 0x6d_2b_79_f5) | 0;
		let r = Math.imul(x ^ (x >>> 15), 1 | x);
		r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
		return ((r ^ (r >>> 14)) >>> 0) % k;
	};
	const out: [ImportEvent, number][] = [
		[{type: 'run-planned', plan: {conversations: n, blocked: 0, messages: n * 6} as never}, 0],
		[{type: 'run-started', runId: 'run', dryRun: false, resumed: 0}, 1],
	];
	let t = 2;
	const open: {index: number; sent: number}[] = [];
	let next = 0;
	while (next < n || open.length > 0) {
		t += 1 + rand(20);
		if (next < n && open.length < 4 && rand(2) === 0) {
			out.push([{type: 'conversation-started', index: next, sourceId: `c${next}`, requestId: `r${next}`, messages: 6}, t]);
			open.push({index: next++, sent: 0});
			continue;
		}
		if (open.length === 0) continue;
		const f = open[rand(open.length)]!;
		switch (rand(8)) {
			case 0:
				out.push([{type: 'step', index: f.index, sourceId: `c${f.index}`, step: 'sending'}, t]);
				break;
			case 1:
			case 2:
				f.sent = Math.min(6, f.sent + 1 + rand(3));
				out.push([{type: 'messages-sent', index: f.index, sourceId: `c${f.index}`, sent: f.sent, total: 6}, t]);
				break;
			case 3:
				out.push([{type: 'retry', index: f.index, sourceId: `c${f.index}`, operation: 'POST messages/multi', attempt: 1, delayMs: 100, reason: 'ECONNRESET'}, t]);
				break;
			case 4:
				out.push([rand(2) ? {type: 'rate-limited', delayMs: 500, concurrency: 2} : {type: 'warning', message: `w${t}`}, t]);
				break;
			default: {
				open.splice(open.indexOf(f), 1);
				const status = STATUSES[rand(STATUSES.length)]!;
				out.push([{type: 'conversation-finished', result: result(f.index, status, 6, f.sent)}, t]);
			}
		}
		if (rand(40) === 0) out.push([rand(2) ? {type: 'paused'} : {type: 'resumed'}, t]);
	}
	out.push([{type: 'run-finished', runId: 'run', totals: {} as never, stop: {kind: 'completed'}, reports: ['r.json']}, t + 1]);
	return out;
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const v of Object.values(value)) deepFreeze(v);
	}
	return value;
}

describe('progress fold', () => {
	it('in place and pure agree on every state of 20 shuffled runs, and the pure one never changes its input', () => {
		for (let seed = 1; seed <= 20; seed++) {
			const live = initialProgress();
			let pure = deepFreeze(initialProgress());
			// An independent count: messages of finished conversations (all of them when complete, what was sent when
			// not) and what was sent so far of those in flight.
			const sent = new Map<number, number>();
			let finishedMessages = 0;
			for (const [e, t] of events(30, seed)) {
				if (e.type === 'conversation-started') sent.set(e.index, 0);
				if (e.type === 'messages-sent') sent.set(e.index, e.sent);
				if (e.type === 'conversation-finished') {
					finishedMessages += ['failed', 'blocked', 'cancelled'].includes(e.result.status) ? sent.get(e.result.index)! : e.result.messages;
					sent.delete(e.result.index);
				}
				applyProgress(live, e, t);
				// A frozen input: a write to it throws (ES modules are strict).
				pure = deepFreeze(progressReducer(pure, e, t));
				expect(pure).toEqual(live);
				if (e.type !== 'run-finished') {
					expect(live.messagesDone).toBe(finishedMessages + [...sent.values()].reduce((a, b) => a + b, 0));
					expect(live.inFlight.map((f) => [f.index, f.sent])).toEqual([...sent]);
				}
			}
			expect(live.phase).toBe('finished');
			expect(live.conversationsDone).toBe(30);
			expect(Object.values(live.byStatus).reduce((a, b) => a + b, 0)).toBe(30);
		}
	});
});

describe('progress store', () => {
	it('a snapshot it handed out never changes, however many events come after', async () => {
		const store = createProgressStore({intervalMs: 1});
		const seen: ProgressState[] = [];
		const copies: ProgressState[] = [];
		store.subscribe(() => {
			const p = store.getSnapshot().progress;
			seen.push(p);
			copies.push(structuredClone(p));
		});
		for (const [e] of events(40, 7)) {
			store.push(e);
			if (Math.random() < 0.2) store.flush();
		}
		await new Promise((r) => setTimeout(r, 5));
		expect(seen.length).toBeGreaterThan(5);
		expect(seen).toEqual(copies);
		expect(new Set(seen).size).toBe(seen.length); // a new object per notification
		store.dispose();
	});

	it('notifies at most once per interval, and at once when the run pauses, is stopping or has finished', () => {
		vi.useFakeTimers();
		const store = createProgressStore({intervalMs: 250, utilization: () => 0});
		const listener = vi.fn();
		store.subscribe(listener);
		store.push({type: 'run-started', runId: 'r', dryRun: false, resumed: 0});
		for (let i = 0; i < 50; i++) store.push({type: 'conversation-started', index: i, sourceId: `c${i}`, requestId: `r${i}`, messages: 1});
		expect(listener).not.toHaveBeenCalled();
		vi.advanceTimersByTime(250);
		expect(listener).toHaveBeenCalledTimes(1);
		expect(store.getSnapshot().progress.inFlight).toHaveLength(50);
		store.push({type: 'paused'});
		expect(listener).toHaveBeenCalledTimes(2);
		store.push({type: 'cancelling', reason: 'stop'});
		expect(listener).toHaveBeenCalledTimes(3);
		store.push({type: 'run-finished', runId: 'r', totals: {} as never, stop: {kind: 'completed'}, reports: []});
		expect(listener).toHaveBeenCalledTimes(4);
		expect(store.getSnapshot().progress.phase).toBe('finished');
		vi.advanceTimersByTime(1000);
		expect(listener).toHaveBeenCalledTimes(4); // nothing new: no notification
		store.dispose();
	});

	it('notifies half as often while the import keeps the main thread busy, and goes back once it has time to spare', () => {
		vi.useFakeTimers();
		let load = 0.2;
		const store = createProgressStore({intervalMs: 250, busyIntervalMs: 500, utilization: () => load});
		const at: number[] = [];
		store.subscribe(() => at.push(Date.now()));
		const t0 = Date.now();
		// An event every 10 ms for 6 s; the load changes at 1 s (busy), 3 s (still above BUSY_UNTIL) and 4 s (calm).
		for (let t = 0; t < 6000; t += 10) {
			load = t < 1000 ? 0.2 : t < 3000 ? BUSY_FROM + 0.1 : t < 4000 ? BUSY_UNTIL + 0.05 : BUSY_UNTIL - 0.1;
			store.push({type: 'conversation-started', index: t, sourceId: `c${t}`, requestId: `r${t}`, messages: 1});
			vi.advanceTimersByTime(10);
		}
		const gaps = at.slice(1).map((t, i) => [at[i]! - t0, t - at[i]!]);
		const gapsIn = (from: number, to: number) => new Set(gaps.filter(([t]) => t! >= from && t! < to).map(([, g]) => g));
		expect(gapsIn(0, 1000)).toEqual(new Set([250]));
		expect(gapsIn(1250, 4000)).toEqual(new Set([500])); // busy, and still busy between the two thresholds
		expect(gapsIn(4500, 6000)).toEqual(new Set([250]));
		store.dispose();
	});

	it('hands each finished conversation out once, in finishing order, with no limit on how many', () => {
		const store = createProgressStore({intervalMs: 1_000_000});
		const n = 150_000;
		for (let i = 0; i < n; i++) store.push({type: 'conversation-finished', result: result(i, 'imported', 1, 1)});
		const first = store.takeFinished();
		expect(first).toHaveLength(n);
		expect(first.every((r, i) => r.index === i)).toBe(true);
		expect(store.takeFinished()).toEqual([]);
		store.push({type: 'conversation-finished', result: result(n, 'failed', 1, 0)});
		expect(store.takeFinished().map((r) => r.index)).toEqual([n]);
		store.dispose();
	});
});
