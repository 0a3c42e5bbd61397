/**
 * ink-testing-library behind a small helper: key constants, typing with a pause between keys (useInput
 * subscribes in an effect), and waiting for a frame that contains something. Assert before unmounting.
 */
import {render as inkRender} from 'ink-testing-library';
import type {ReactElement} from 'react';

export const KEY = {enter: '\r', esc: '\u001B', up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', tab: '\t', backspace: '\u007F', ctrlC: '\u0003'};

const tick = (ms = 15) => new Promise((r) => setTimeout(r, ms));

export function render(element: ReactElement) {
	const app = inkRender(element);
	async function until(ok: (frame: string) => boolean, what: string, timeoutMs: number): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const f = app.lastFrame() ?? '';
			if (ok(f)) {
				// Ink subscribes the new screen's key handlers in an effect after the frame: let it run, or the next
				// key lands in the previous screen's handler (seen under load).
				await tick();
				return f;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
			await tick(20);
		}
	}
	return {
		...app,
		frame: () => app.lastFrame() ?? '',
		async press(...keys: string[]) {
			for (const k of keys) {
				await tick();
				app.stdin.write(k);
			}
			await tick();
		},
		async type(text: string) {
			for (const ch of text) {
				app.stdin.write(ch);
				await tick(2);
			}
			await tick();
		},
		waitFor(what: string | RegExp, timeoutMs = 8000): Promise<string> {
			return until((f) => (typeof what === 'string' ? f.includes(what) : what.test(f)), String(what), timeoutMs);
		},
		/** Waits until the frame no longer contains `what` (a mode left, a detail closed). */
		waitForGone(what: string, timeoutMs = 8000): Promise<string> {
			return until((f) => !f.includes(what), `${what} to go`, timeoutMs);
		},
	};
}
