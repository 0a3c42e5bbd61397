/** What every command receives, so tests can run commands in-process with captured output. */
export interface CommandIO {
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	env: NodeJS.ProcessEnv;
	cwd: string;
}

export type Command = (argv: string[], io: CommandIO) => Promise<number>;

/** A usage mistake: exit 2 with one line and a hint. */
export class UsageError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'UsageError';
	}
}

export function printProblem(io: CommandIO, message: string, hint?: string): void {
	io.stderr.write(`error: ${message}\n`);
	if (hint) io.stderr.write(`hint: ${hint}\n`);
}
