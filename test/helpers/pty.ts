/**
 * Runs the built CLI in a real pseudo-terminal (node-pty) rendered by a headless xterm, so tests can type keys
 * and read the screen exactly as a person would see it.
 */
import {spawn, type IPty} from '@lydell/node-pty';
import xterm from '@xterm/headless';

export const KEYS = {enter: '\r', esc: '\u001B', up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', tab: '\t', backspace: '\u007F', ctrlC: '\u0003'};

export interface Terminal {
	write(keys: string): void;
	screen(): string;
	waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
	exited: Promise<number>;
	kill(): void;
}

export function runInTerminal(file: string, args: string[], options: {cwd: string; env: Record<string, string>; cols?: number; rows?: number}): Terminal {
	const cols = options.cols ?? 100;
	const rows = options.rows ?? 30;
	const term = new xterm.Terminal({cols, rows, allowProposedApi: true});
	const child: IPty = spawn(process.execPath, [file, ...args], {name: 'xterm-256color', cols, rows, cwd: options.cwd, env: options.env});
	// xterm parses what it is given asynchronously: `parsed` settles when the last output so far is on the screen.
	let parsed: Promise<void> = Promise.resolve();
	child.onData((d) => {
		parsed = new Promise((resolve) => term.write(d, resolve));
	});
	// The exit is reported once the output before it is on the screen (a CI run read the screen right after a quick
	// exit and missed its last line); the short wait lets node-pty deliver data that trails the exit event.
	const exited = new Promise<number>((resolve) =>
		child.onExit((e) => {
			setTimeout(() => void parsed.then(() => resolve(e.exitCode)), 50);
		}),
	);
	const screen = () => {
		const buffer = term.buffer.active;
		const lines: string[] = [];
		for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
		return lines.join('\n').replace(/\n+$/, '');
	};
	return {
		write: (keys) => child.write(keys),
		screen,
		async waitFor(text, timeoutMs = 15_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				await new Promise((r) => setTimeout(r, 50));
				const s = screen();
				if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; the screen shows:\n${s.split('\n').slice(-rows).join('\n')}`);
			}
		},
		exited,
		kill: () => child.kill(),
	};
}
