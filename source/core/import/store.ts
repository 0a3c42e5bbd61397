/**
 * A throttled progress store over an import run: every event is folded into the progress state at once (so the
 * state is always exact), listeners are notified at most every `intervalMs` (4 frames a second by default: smooth
 * enough to read a count or a bar; each frame of the import screen costs ~6 ms of CPU plus its garbage, and on a
 * CPU-bound import 5 a second took ~6 % of its CPU, measured by bench/suites/tui.ts's replay) and immediately when
 * the run finishes, pauses or is stopping.
 * Finished conversations are also kept in an append-only list, which a `<Static>` view can render once each.
 */
import type {ConversationResult, ImportEvent} from './events.js';
import {initialProgress, progressReducer, type ProgressState} from './progress.js';

export interface ProgressSnapshot {
	progress: ProgressState;
	/** Every finished conversation, in finishing order: the same array in every snapshot, only appended to. */
	finished: readonly ConversationResult[];
}

export interface ProgressStore {
	/** Feed one engine event (subscribe this to the run). */
	push(event: ImportEvent): void;
	subscribe(listener: () => void): () => void;
	getSnapshot(): ProgressSnapshot;
	/** Notify now (e.g. once when the screen mounts). */
	flush(): void;
	dispose(): void;
}

export function createProgressStore(options: {intervalMs?: number; now?: () => number; keepFinished?: number} = {}): ProgressStore {
	const interval = options.intervalMs ?? 250;
	const now = options.now ?? Date.now;
	const keep = options.keepFinished ?? 100_000;
	let state = initialProgress();
	const finished: ConversationResult[] = [];
	let snapshot: ProgressSnapshot = {progress: state, finished};
	const listeners = new Set<() => void>();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let dirty = false;

	const notify = () => {
		timer = undefined;
		if (!dirty) return;
		dirty = false;
		// A new snapshot object per notification. The finished list is the same array, only ever appended to (no copy
		// per frame): a view tracks its length, not its identity (Ink's <Static> memoizes on identity, see
		// ImportScreen's chunks).
		snapshot = {progress: state, finished};
		for (const l of listeners) l();
	};

	return {
		push(event) {
			state = progressReducer(state, event, now());
			if (event.type === 'conversation-finished' && finished.length < keep) finished.push(event.result);
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
