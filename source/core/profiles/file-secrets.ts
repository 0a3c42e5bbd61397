/**
 * The opt-in token file: a small JSON file beside the profile file, readable by its owner only (file 0600, folder
 * 0700), replaced atomically (written to a temporary file in the same folder, flushed, then renamed over) so a
 * crash never leaves half a file. Anyone who can act as this user account can read it, which the UI says when
 * the user picks it. Sync file I/O on a file of a few hundred bytes keeps writes ordered.
 */
import {randomBytes} from 'node:crypto';
import {chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync} from 'node:fs';
import path from 'node:path';
import {z} from 'zod';
import type {SecretStore} from './secrets.js';

export const TOKEN_FILE_NAME = 'tokens.json';

const TokenFileSchema = z.object({
	version: z.literal(1),
	tokens: z.record(z.string(), z.string()),
});

const posix = process.platform !== 'win32';

export class FileSecretStore implements SecretStore {
	readonly kind = 'file' as const;
	readonly path: string;

	constructor(filePath: string) {
		this.path = path.resolve(filePath);
	}

	async available(): Promise<boolean> {
		try {
			this.#read();
			return true;
		} catch {
			return false;
		}
	}

	async get(account: string): Promise<string | undefined> {
		try {
			return this.#read()[account];
		} catch {
			return undefined;
		}
	}

	async set(account: string, secret: string): Promise<void> {
		const tokens = this.#readOrEmpty();
		tokens[account] = secret;
		this.#write(tokens);
	}

	async delete(account: string): Promise<void> {
		const tokens = this.#readOrEmpty();
		if (!Object.hasOwn(tokens, account)) {
			return;
		}

		delete tokens[account];
		this.#write(tokens);
	}

	/** The tokens in the file; `{}` when there is no file. Throws when it can't be read. */
	#read(): Record<string, string> {
		let text: string;
		try {
			text = readFileSync(this.path, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return {};
			}

			throw error;
		}

		this.#tighten();
		let data: unknown;
		try {
			data = JSON.parse(text);
		} catch {
			return {};
		}

		const parsed = TokenFileSchema.safeParse(data);
		// A damaged token file holds nothing usable: the user signs in again and the next write replaces it.
		return parsed.success ? {...parsed.data.tokens} : {};
	}

	#readOrEmpty(): Record<string, string> {
		try {
			return this.#read();
		} catch {
			return {};
		}
	}

	/** A file someone loosened by hand is put back to 0600 (best effort). */
	#tighten(): void {
		if (!posix) {
			return;
		}

		try {
			if ((statSync(this.path).mode & 0o077) !== 0) {
				chmodSync(this.path, 0o600);
			}
		} catch {}
	}

	#write(tokens: Record<string, string>): void {
		const folder = path.dirname(this.path);
		mkdirSync(folder, {recursive: true, mode: 0o700});
		if (posix) {
			chmodSync(folder, 0o700);
		}

		const text = `${JSON.stringify({version: 1, tokens} satisfies z.infer<typeof TokenFileSchema>, null, '\t')}\n`;
		const temporary = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
		try {
			const fd = openSync(temporary, 'wx', 0o600);
			try {
				writeSync(fd, text);
				fsyncSync(fd);
			} finally {
				closeSync(fd);
			}

			if (posix) {
				chmodSync(temporary, 0o600);
			}

			renameSync(temporary, this.path);
		} catch (error) {
			rmSync(temporary, {force: true});
			throw error;
		}
	}
}
