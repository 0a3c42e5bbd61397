/** `--json`: every engine event as one JSON line (with a timestamp) — the machine-readable twin of the lines. */
import type {ImportEvent} from '../core/import/events.js';

export function ndjsonReporter(write: (line: string) => void, now: () => number = Date.now): (event: ImportEvent) => void {
	return (event) => write(`${JSON.stringify({ts: new Date(now()).toISOString(), ...event})}\n`);
}
