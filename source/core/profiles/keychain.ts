/**
 * Tokens in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service or the kernel keyring on
 * Linux) through `@napi-rs/keyring`. The native module is imported lazily, on first use, so a missing or broken
 * binary only makes the keychain "unavailable" and never breaks the CLI. `available()` tries a harmless probe
 * (write, read back and delete a probe entry) once; every failure, including a keychain that doesn't answer in
 * time (a locked keyring waiting for an unlock prompt), means unavailable, and callers fall back to asking for
 * the password again.
 */
import {randomBytes} from 'node:crypto';
import {SECRET_SERVICE_NAME, type SecretStore} from './secrets.js';

/** The part of `@napi-rs/keyring` this store uses (so tests can hand it a fake). */
export interface KeyringEntry {
	getPassword(signal?: AbortSignal | null): Promise<string | null>;
	setPassword(password: string, signal?: AbortSignal | null): Promise<void>;
	deleteCredential(signal?: AbortSignal | null): Promise<boolean>;
}

export interface KeyringModule {
	AsyncEntry: new (service: string, account: string) => KeyringEntry;
}

export interface KeychainOptions {
	/** Keychain service name; default `tiledesk-import`. */
	service?: string;
	/** Loads the binding; default: a dynamic import of `@napi-rs/keyring`. */
	load?: () => Promise<KeyringModule>;
	/** Longest wait for one keychain call, in ms; default 10 s. */
	timeoutMs?: number;
}

const PROBE_ACCOUNT = '__tiledesk-import-probe__';

export class KeychainSecretStore implements SecretStore {
	readonly kind = 'keychain' as const;
	readonly service: string;
	readonly #load: () => Promise<KeyringModule>;
	readonly #timeoutMs: number;
	#module: Promise<KeyringModule> | undefined;
	#probe: Promise<boolean> | undefined;
	#reason: string | undefined;

	constructor(options: KeychainOptions = {}) {
		this.service = options.service ?? SECRET_SERVICE_NAME;
		this.#load = options.load ?? (async () => import('@napi-rs/keyring'));
		this.#timeoutMs = options.timeoutMs ?? 10_000;
	}

	/** Why the keychain is unavailable (after `available()` said false), for the UI; never contains a secret. */
	get unavailableReason(): string | undefined {
		return this.#reason;
	}

	async available(): Promise<boolean> {
		this.#probe ??= this.#runProbe();
		return this.#probe;
	}

	async get(account: string): Promise<string | undefined> {
		if (!(await this.available())) {
			return undefined;
		}

		try {
			const value = await this.#call(async (entry, signal) => entry.getPassword(signal), account);
			return value ?? undefined;
		} catch {
			return undefined;
		}
	}

	async set(account: string, secret: string): Promise<void> {
		if (!(await this.available())) {
			throw new Error(`The OS keychain is not available${this.#reason ? ` (${this.#reason})` : ''}.`);
		}

		await this.#call(async (entry, signal) => entry.setPassword(secret, signal), account);
	}

	async delete(account: string): Promise<void> {
		if (!(await this.available())) {
			return;
		}

		await this.#call(async (entry, signal) => entry.deleteCredential(signal), account);
	}

	async #runProbe(): Promise<boolean> {
		try {
			const value = randomBytes(8).toString('hex');
			await this.#call(async (entry, signal) => entry.getPassword(signal), PROBE_ACCOUNT);
			await this.#call(async (entry, signal) => entry.setPassword(value, signal), PROBE_ACCOUNT);
			const read = await this.#call(async (entry, signal) => entry.getPassword(signal), PROBE_ACCOUNT);
			await this.#call(async (entry, signal) => entry.deleteCredential(signal), PROBE_ACCOUNT);
			if (read !== value) {
				this.#reason = 'the keychain did not give back what was stored';
				return false;
			}

			return true;
		} catch (error) {
			this.#reason = describeFailure(error);
			return false;
		}
	}

	/** One keychain call with a deadline; the module is loaded on first use. */
	async #call<T>(action: (entry: KeyringEntry, signal: AbortSignal) => Promise<T>, account: string): Promise<T> {
		this.#module ??= this.#load();
		const module = await this.#module;
		const entry = new module.AsyncEntry(this.service, account);
		const controller = new AbortController();
		let timer: NodeJS.Timeout | undefined;
		const deadline = new Promise<never>((_resolve, reject) => {
			timer = setTimeout(() => {
				controller.abort();
				reject(new Error(`the keychain did not answer within ${Math.round(this.#timeoutMs / 1000)} s`));
			}, this.#timeoutMs);
			timer.unref();
		});
		const work = action(entry, controller.signal);
		// A call that fails after its deadline has nobody waiting for it.
		work.catch(() => undefined);
		try {
			return await Promise.race([work, deadline]);
		} finally {
			clearTimeout(timer);
		}
	}
}

function describeFailure(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	if (/dbus|secret service/i.test(message)) {
		return 'no Secret Service (D-Bus) session on this machine';
	}

	if (/cannot find module|failed to load native binding|err_module_not_found/i.test(message)) {
		return 'the keychain module is not installed for this platform';
	}

	// The binding's messages name the platform failure (e.g. "Couldn't access platform storage: AccessDenied").
	return message.split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}
