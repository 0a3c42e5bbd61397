import {chmodSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {FileSecretStore} from '../../source/core/profiles/file-secrets.js';
import {ProfileSchema, tokenAccount, type Profile} from '../../source/core/profiles/profile.js';
import {MemorySecretStore} from '../../source/core/profiles/secrets.js';
import {ProfileStore} from '../../source/core/profiles/store.js';

const posix = process.platform !== 'win32';
const PROJECT = '65c5f3599faf2d04cd7da528';

function profile(overrides: Partial<Profile> = {}): Profile {
	return ProfileSchema.parse({name: 'Prod', projectId: PROJECT, email: 'admin@example.com', ...overrides});
}

let dir: string;

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'tdi-secrets-'));
});

afterEach(() => {
	rmSync(dir, {recursive: true, force: true});
});

describe('MemorySecretStore', () => {
	it('round-trips and deletes', async () => {
		const store = new MemorySecretStore();
		expect(await store.available()).toBe(true);
		expect(await store.get('a')).toBeUndefined();
		await store.set('a', 's1');
		await store.set('b', 's2');
		expect(await store.get('a')).toBe('s1');
		await store.delete('a');
		await store.delete('missing');
		expect(await store.get('a')).toBeUndefined();
		expect(store.accounts()).toEqual(['b']);
	});
});

describe('FileSecretStore', () => {
	it('round-trips, keeps other accounts, deletes', async () => {
		const store = new FileSecretStore(path.join(dir, 'tokens.json'));
		expect(await store.available()).toBe(true);
		expect(await store.get('a')).toBeUndefined();
		await store.set('a', 'JWT one');
		await store.set('b', 'JWT two');
		await store.set('a', 'JWT three');
		const again = new FileSecretStore(path.join(dir, 'tokens.json'));
		expect(await again.get('a')).toBe('JWT three');
		expect(await again.get('b')).toBe('JWT two');
		await again.delete('a');
		await again.delete('missing');
		expect(await store.get('a')).toBeUndefined();
		expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual({version: 1, tokens: {b: 'JWT two'}});
	});

	it.runIf(posix)('writes the file 0600 in a folder 0700, and tightens a loosened file', async () => {
		const folder = path.join(dir, 'conf');
		mkdirSync(folder, {mode: 0o755});
		chmodSync(folder, 0o755);
		const store = new FileSecretStore(path.join(folder, 'tokens.json'));
		await store.set('a', 'JWT one');
		expect(statSync(store.path).mode & 0o777).toBe(0o600);
		expect(statSync(folder).mode & 0o777).toBe(0o700);
		chmodSync(store.path, 0o644);
		expect(await store.get('a')).toBe('JWT one');
		expect(statSync(store.path).mode & 0o777).toBe(0o600);
	});

	it.runIf(posix)('replaces the file atomically: a reader holding the old file keeps the old, whole content', async () => {
		const store = new FileSecretStore(path.join(dir, 'tokens.json'));
		await store.set('a', 'JWT old');
		const before = readFileSync(store.path, 'utf8');
		const oldInode = statSync(store.path).ino;
		const fd = openSync(store.path, 'r');
		try {
			await store.set('a', 'JWT new and longer');
			// A write in place would have changed what the open descriptor reads; a rename leaves it intact.
			const buffer = Buffer.alloc(4096);
			const read = readSync(fd, buffer, 0, buffer.length, 0);
			expect(buffer.subarray(0, read).toString('utf8')).toBe(before);
		} finally {
			closeSync(fd);
		}

		expect(statSync(store.path).ino).not.toBe(oldInode);
		expect(await store.get('a')).toBe('JWT new and longer');
		expect(readdirSync(dir)).toEqual(['tokens.json']);
	});

	it('leaves no temporary file behind when the final rename fails', async () => {
		const target = path.join(dir, 'tokens.json');
		mkdirSync(path.join(target, 'blocker'), {recursive: true});
		const store = new FileSecretStore(target);
		await expect(store.set('a', 'JWT x')).rejects.toThrow();
		expect(readdirSync(dir)).toEqual(['tokens.json']);
		expect(statSync(target).isDirectory()).toBe(true);
	});

	it('reads a damaged file as empty, and the next write replaces it', async () => {
		const store = new FileSecretStore(path.join(dir, 'tokens.json'));
		writeFileSync(store.path, '{"version": 1, "tokens": {"a": 42}}');
		expect(await store.get('a')).toBeUndefined();
		writeFileSync(store.path, 'not json');
		expect(await store.get('a')).toBeUndefined();
		await store.set('b', 'JWT b');
		expect(await store.get('b')).toBe('JWT b');
	});
});

describe('ProfileStore with the token file (explicit opt-in)', () => {
	it('keeps the token beside the config file, 0600, never in the config file, and deletes it with the profile', async () => {
		const memory = new MemorySecretStore();
		const store = new ProfileStore({cwd: dir, secrets: memory});
		const filed = profile({tokenStorage: 'file'});
		store.save(filed);
		expect(await store.saveToken(filed, 'JWT file-token')).toBe('file');
		expect(store.tokenFilePath).toBe(path.join(dir, 'tokens.json'));
		expect(await new ProfileStore({cwd: dir, secrets: memory}).getToken(filed)).toBe('JWT file-token');
		expect(readFileSync(store.path, 'utf8')).not.toContain('file-token');
		expect(memory.accounts()).toEqual([]);
		if (posix) {
			expect(statSync(store.tokenFilePath).mode & 0o777).toBe(0o600);
		}

		await store.remove('Prod');
		expect(JSON.parse(readFileSync(store.tokenFilePath, 'utf8')).tokens).toEqual({});
	});

	it('moving a profile from the file to the keychain drops the file copy and keeps the new keychain token', async () => {
		const memory = new MemorySecretStore();
		const store = new ProfileStore({cwd: dir, secrets: memory});
		const filed = profile({tokenStorage: 'file'});
		store.save(filed);
		await store.saveToken(filed, 'JWT in file');
		const chained = profile({tokenStorage: 'keychain'});
		store.save(chained, 'Prod');
		expect(await store.saveToken(chained, 'JWT in keychain')).toBe('keychain');
		await store.settled();
		expect(await store.getToken(chained)).toBe('JWT in keychain');
		expect(memory.accounts()).toEqual([tokenAccount(chained)]);
		expect(JSON.parse(readFileSync(store.tokenFilePath, 'utf8')).tokens).toEqual({});
	});
});
