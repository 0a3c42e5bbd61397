/** Minimal terminal prompts for the headless commands (a yes/no confirmation, a hidden password). */
import {createInterface, type Interface} from 'node:readline';

/** Ctrl+C (or the end of input) at a prompt: the command stops before doing anything (exit 130). */
export class Interrupted extends Error {
	constructor() {
		super('interrupted at a prompt');
		this.name = 'Interrupted';
	}
}

/**
 * One answer. In a terminal readline takes Ctrl+C itself and, without a listener, only pauses: the question would
 * never be answered and the process would end silently with exit 0.
 */
function ask(rl: Interface, question: string): Promise<string> {
	return new Promise<string>((resolve, reject) => {
		let answered = false;
		rl.once('SIGINT', () => reject(new Interrupted()));
		rl.once('close', () => answered || reject(new Interrupted()));
		rl.question(question, (answer) => {
			answered = true;
			resolve(answer);
		});
	});
}

export async function confirm(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<boolean> {
	const rl = createInterface({input, output});
	try {
		return /^y(es)?$/i.test((await ask(rl, `${question} [y/N] `)).trim());
	} finally {
		rl.close();
	}
}

/** Reads a line without echoing it (the password never appears on screen or in scrollback). */
export async function askHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
	output.write(question);
	const muted = {write: () => true} as unknown as NodeJS.WritableStream;
	const rl = createInterface({input, output: muted, terminal: true});
	try {
		return await ask(rl, '');
	} finally {
		rl.close();
		output.write('\n');
	}
}

/** All of stdin (for --password-stdin), without the trailing newline. */
export async function readStdin(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
	let text = '';
	for await (const chunk of input) text += String(chunk);
	return text.replace(/\r?\n$/, '');
}
