/** Minimal terminal prompts for the headless commands (a yes/no confirmation, a hidden password). */
import {createInterface} from 'node:readline';

export async function confirm(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<boolean> {
	const rl = createInterface({input, output});
	try {
		const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
		return /^y(es)?$/i.test(answer.trim());
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
		return await new Promise<string>((resolve) => rl.question('', resolve));
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
