/**
 * A throttled progress store over an import run: every event is folded into the progress state at once (so the
 * state is always exact), listeners are notified at most every `intervalMs` (4 frames a second by default: smooth
 * enough to read a count or a bar; each frame of the import screen costs a few ms of the main thread plus its
 * garbage, see bench/suites/tui.ts), every `busyIntervalMs` (2 a second) while the import keeps the main thread
 * busy (a fast server: the screen's frames would then slow the import), and immediately when the run finishes,
 * pauses or is stopping.
 * Finished conversations wait in a queue until the screen takes them (to write them above its live region once).
 */
import type {ConversationResult, ImportEvent} from './events.js';
import {applyProgress, copyProgress, initialProgress, type ProgressState} from './progress.js';

export interface ProgressSnapshot {
	/** A copy, never changed afterwards (the store folds events into its own state). */
	progress: ProgressState;
}

export interface ProgressStore {
	/** Feed one engine event (subscribe this to the run). */
	push(event: ImportEvent): void;
	subscribe(listener: () => void): () => void;
	getSnapshot(): ProgressSnapshot;
	/** The conversations finished since the last call, in finishing order (each is returned once). */
	takeFinished(): ConversationResult[];
	/** Notify now (e.g. once when the screen mounts). */
	flush(): void;
	dispose(): void;
}

export interface ProgressStoreOptions {
	/** Between two notifications while the process has time to spare (default 250 ms: 4 frames a second). */
	intervalMs?: number;
	/**
	 * Between two notifications while the import keeps the main thread busy (default: twice `intervalMs`): then every
	 * frame the screen draws is time the import waits for, so the screen draws half as often.
	 */
	busyIntervalMs?: number;
	/** The main thread's utilization (0–1) since the previous call; default: Node's event loop utilization. */
	utilization?: () => number;
	now?: () => number;
}

/** Above this utilization the store switches to the busy interval, below BUSY_UNTIL back (hysteresis). */
export const BUSY_FROM = 0.75;
export const BUSY_UNTIL = 0.5;

function eventLoopUtilization(): () => number {
	let last = performance.eventLoopUtilization();
	return () => {
		const current = performance.eventLoopUtilization();
		const {utilization} = performance.eventLoopUtilization(current, last);
		last = current;
		return utilization;
	};
}

export function createProgressStore(options: ProgressStoreOptions = {}): ProgressStore {
	const calm = options.intervalMs ?? 250;
	const busyInterval = options.busyIntervalMs ?? 2 * calm;
	const utilization = options.utilization ?? eventLoopUtilization();
	const now = options.now ?? Date.now;
	let busy = false;
	// Folded into in place: a fast import sends thousands of events a second for a handful of frames, so the copy is
	// made once per notification, not once per event.
	const state = initialProgress();
	let finished: ConversationResult[] = [];
	let snapshot: ProgressSnapshot = {progress: copyProgress(state)};
	const listeners = new Set<() => void>();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let dirty = false;

	const notify = () => {
		timer = undefined;
		const u = utilization();
		busy = busy ? u >= BUSY_UNTIL : u > BUSY_FROM;
		if (!dirty) return;
		dirty = false;
		snapshot = {progress: copyProgress(state)};
		for (const l of listeners) l();
	};

	return {
		push(event) {
			applyProgress(state, event, now());
			if (event.type === 'conversation-finished') finished.push(event.result);
			dirty = true;
			if (event.type === 'run-finished' || event.type === 'paused' || event.type === 'cancelling') {
				if (timer) clearTimeout(timer);
				notify();
			} else timer ??= setTimeout(notify, busy ? busyInterval : calm);
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		getSnapshot: () => snapshot,
		takeFinished() {
			const taken = finished;
			finished = [];
			return taken;
		},
		flush() {
			dirty = true;
			if (timer) clearTimeout(timer);
			notify();
		},
		dispose() {
			if (timer) clearTimeout(timer);
			listeners.clear();
		},
	};
}
