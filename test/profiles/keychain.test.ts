import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {KeychainSecretStore, type KeyringEntry, type KeyringModule} from '../../source/core/profiles/keychain.js';
import {ProfileSchema} from '../../source/core/profiles/profile.js';
import {ProfileStore} from '../../source/core/profiles/store.js';

/** A fake binding: a map per service, with optional failures. */
function fakeKeyring(options: {failSet?: Error; hang?: boolean; lose?: boolean} = {}): {module: KeyringModule; data: Map<string, string>; loads: number} {
	const data = new Map<string, string>();
	const state = {module: undefined as unknown as KeyringModule, data, loads: 0};
	class AsyncEntry implements KeyringEntry {
		readonly #key: string;
		constructor(service: string, account: string) {
			this.#key = `${service}/${account}`;
		}

		async getPassword(): Promise<string | null> {
			if (options.hang) {
				return new Promise(() => undefined);
			}

			return options.lose ? null : data.get(this.#key) ?? null;
		}

		async setPassword(password: string): Promise<void> {
			if (options.failSet) {
				throw options.failSet;
			}

			data.set(this.#key, password);
		}

		async deleteCredential(): Promise<boolean> {
			return data.delete(this.#key);
		}
	}

	state.module = {AsyncEntry};
	return state;
}

describe('KeychainSecretStore', () => {
	it('does not load the binding until used, then round-trips through it', async () => {
		const fake = fakeKeyring();
		let loads = 0;
		const store = new KeychainSecretStore({service: 'svc', load: async () => {
			loads++;
			return fake.module;
		}});
		expect(loads).toBe(0);
		expect(await store.available()).toBe(true);
		// The probe cleaned up after itself.
		expect([...fake.data.keys()]).toEqual([]);
		await store.set('acct', 'JWT t');
		expect(fake.data.get('svc/acct')).toBe('JWT t');
		expect(await store.get('acct')).toBe('JWT t');
		await store.delete('acct');
		expect(await store.get('acct')).toBeUndefined();
		expect(loads).toBe(1);
	});

	it('is unavailable, without throwing, when the binding cannot be loaded', async () => {
		const store = new KeychainSecretStore({load: async () => {
			throw new Error('Cannot find module \'@napi-rs/keyring-linux-x64-gnu\'');
		}});
		expect(await store.available()).toBe(false);
		expect(store.unavailableReason).toMatch(/not installed for this platform/);
		expect(await store.get('acct')).toBeUndefined();
		await expect(store.delete('acct')).resolves.toBeUndefined();
		await expect(store.set('acct', 'JWT t')).rejects.toThrow(/OS keychain is not available/);
	});

	it('is unavailable when the platform store refuses writes (no Secret Service, locked keyring)', async () => {
		const fake = fakeKeyring({failSet: new Error('Couldn\'t access platform storage: AccessDenied')});
		const store = new KeychainSecretStore({load: async () => fake.module});
		expect(await store.available()).toBe(false);
		expect(store.unavailableReason).toBe('Couldn\'t access platform storage: AccessDenied');
	});

	it('is unavailable when the store does not give back what it was given', async () => {
		const store = new KeychainSecretStore({load: async () => fakeKeyring({lose: true}).module});
		expect(await store.available()).toBe(false);
		expect(store.unavailableReason).toMatch(/did not give back/);
	});

	it('gives up on a keychain that does not answer', async () => {
		const store = new KeychainSecretStore({load: async () => fakeKeyring({hang: true}).module, timeoutMs: 50});
		const started = Date.now();
		expect(await store.available()).toBe(false);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(store.unavailableReason).toMatch(/did not answer/);
	});

	it('with the real binding on this machine: answers without throwing, and a token goes where saveToken says', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'tdi-keychain-'));
		try {
			// A separate service name so a developer's real entries are never touched.
			const keychain = new KeychainSecretStore({service: 'tiledesk-import-test', timeoutMs: 5000});
			const available = await keychain.available();
			expect(typeof available).toBe('boolean');
			const store = new ProfileStore({cwd: dir, secrets: keychain});
			const profile = ProfileSchema.parse({name: 'Real keychain', projectId: '65c5f3599faf2d04cd7da528', email: `probe-${process.pid}@example.com`});
			store.save(profile);
			const where = await store.saveToken(profile, 'JWT real-keychain-test');
			expect(where).toBe(available ? 'keychain' : 'none');
			expect(await store.getToken(profile)).toBe(available ? 'JWT real-keychain-test' : undefined);
			await store.remove(profile.name);
			expect(await store.getToken(profile)).toBeUndefined();
			// Never a fallback to the file.
			expect(readdirSync(dir)).toEqual(['config.json']);
			// Whether this machine has a usable keychain varies (in our Linux containers the kernel keyring has been seen
			// both refusing and accepting writes), so both outcomes are checked rather than assumed.
			if (!available) expect(keychain.unavailableReason).toEqual(expect.any(String));
			else expect(keychain.unavailableReason).toBeUndefined();
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

});
