/**
 * Where a profile's sign-in token can be kept: the interface every secret store implements, and the in-memory
 * store (tests, and a run that must keep nothing). The OS keychain is in keychain.ts, the opt-in file in
 * file-secrets.ts. Stores never log or print what they hold.
 */

export interface SecretStore {
	readonly kind: 'keychain' | 'file' | 'memory';
	/** Whether the store works here (never throws; the keychain tries a harmless probe). */
	available(): Promise<boolean>;
	get(account: string): Promise<string | undefined>;
	set(account: string, secret: string): Promise<void>;
	/** Deleting a missing account is not an error. */
	delete(account: string): Promise<void>;
}

/** The service name under which tokens are kept in the OS keychain. */
export const SECRET_SERVICE_NAME = 'tiledesk-import';

export class MemorySecretStore implements SecretStore {
	readonly kind = 'memory' as const;
	readonly #secrets = new Map<string, string>();

	async available(): Promise<boolean> {
		return true;
	}

	async get(account: string): Promise<string | undefined> {
		return this.#secrets.get(account);
	}

	async set(account: string, secret: string): Promise<void> {
		this.#secrets.set(account, secret);
	}

	async delete(account: string): Promise<void> {
		this.#secrets.delete(account);
	}

	/** The accounts held (tests). */
	accounts(): string[] {
		return [...this.#secrets.keys()];
	}
}
