/**
 * A throttled progress store over an import run: every event is folded into the progress state at once (so the
 * state is always exact), listeners are notified at most every `intervalMs` (4 frames a second by default: smooth
 * enough to read a count or a bar; each frame of the import screen costs a few ms of the main thread plus its
 * garbage, see bench/suites/tui.ts) and immediately when the run finishes, pauses or is stopping.
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

export function createProgressStore(options: {intervalMs?: number; now?: () => number} = {}): ProgressStore {
	const interval = options.intervalMs ?? 250;
	const now = options.now ?? Date.now;
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
			} else timer ??= setTimeout(notify, interval);
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
