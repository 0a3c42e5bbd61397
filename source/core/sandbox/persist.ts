/**
 * The sandbox's optional state file (`tiledesk-import sandbox --state FILE`): loaded and zod-validated at start, a
 * corrupt file refused with a message naming it; written atomically (temp file in the same folder + rename, mode
 * 0600 because it holds the sandbox's throwaway passwords and signing secret) a moment after each change and on close.
 */
import {readFile, rename, rm, writeFile} from 'node:fs/promises';
import {PersistedStateSchema, type PersistedState} from './state.js';

/** A state file that cannot be used; the message names the file and what is wrong. */
export class SandboxStateError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SandboxStateError';
	}
}

/** The persisted state, or undefined when the file does not exist yet. */
export async function loadStateFile(path: string): Promise<PersistedState | undefined> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		const code = (error as {code?: string}).code;
		if (code === 'ENOENT') return undefined;
		throw new SandboxStateError(`cannot read the sandbox state file ${path} (${code ?? (error as Error).message})`);
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new SandboxStateError(`the sandbox state file ${path} is not valid JSON (${(error as Error).message}); delete it or choose another --state FILE`);
	}
	const parsed = PersistedStateSchema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue?.path.length ? issue.path.join('.') : '(top level)';
		throw new SandboxStateError(`the sandbox state file ${path} is not a sandbox state: ${where}: ${issue?.message ?? 'invalid'}; delete it or choose another --state FILE`);
	}
	return parsed.data;
}

let tmpCounter = 0;

/** Writes `data` to `path` atomically: a reader sees the old or the new file, never half of one. */
export async function writeStateFile(path: string, data: PersistedState): Promise<void> {
	const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
	try {
		await writeFile(tmp, `${JSON.stringify(data, null, '\t')}\n`, {mode: 0o600});
		await rename(tmp, path);
	} catch (error) {
		await rm(tmp, {force: true});
		throw new SandboxStateError(`cannot write the sandbox state file ${path} (${(error as {code?: string}).code ?? (error as Error).message})`);
	}
}

/** Debounced, serialized saves: `changed()` after each mutation, `flush()` on close. */
export class StateWriter {
	private timer: NodeJS.Timeout | undefined;
	private chain: Promise<void> = Promise.resolve();
	private lastError: Error | undefined;

	constructor(
		private readonly path: string,
		private readonly snapshot: () => PersistedState,
		private readonly debounceMs = 100,
		private readonly onError: (error: Error) => void = () => {},
	) {}

	changed(): void {
		if (this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			void this.save();
		}, this.debounceMs);
		this.timer.unref();
	}

	/** Writes now (cancelling a pending debounced write); rejects if this or an earlier write failed. */
	async flush(): Promise<void> {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = undefined;
		}
		await this.save();
		if (this.lastError) throw this.lastError;
	}

	private save(): Promise<void> {
		const data = this.snapshot();
		this.chain = this.chain.then(() =>
			writeStateFile(this.path, data).then(
				() => {
					this.lastError = undefined;
				},
				(error: Error) => {
					this.lastError = error;
					this.onError(error);
				},
			),
		);
		return this.chain;
	}
}
