import {mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {DEFAULT_API_URL, ProfileSchema, SANDBOX_PROFILE_NAME, describeTokenStorage, tokenAccount, type Profile} from '../../source/core/profiles/profile.js';
import {MemorySecretStore} from '../../source/core/profiles/secrets.js';
import {ProfileError, ProfileStore} from '../../source/core/profiles/store.js';

const PROJECT = '65c5f3599faf2d04cd7da528';
const OTHER_PROJECT = '65c5f3599faf2d04cd7da529';

function profile(overrides: Partial<Profile> = {}): Profile {
	return ProfileSchema.parse({name: 'Prod', projectId: PROJECT, email: 'admin@example.com', ...overrides});
}

let dir: string;
let secrets: MemorySecretStore;
let clock: Date;

function open(): ProfileStore {
	return new ProfileStore({cwd: dir, secrets, now: () => clock});
}

function fileText(store: ProfileStore): string {
	return readFileSync(store.path, 'utf8');
}

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'tdi-profiles-'));
	secrets = new MemorySecretStore();
	clock = new Date('2024-05-01T10:00:00.000Z');
});

afterEach(() => {
	rmSync(dir, {recursive: true, force: true});
});

describe('ProfileSchema', () => {
	it('applies the defaults and trims', () => {
		const parsed = ProfileSchema.parse({name: ' Prod ', projectId: PROJECT, email: 'a@b.co'});
		expect(parsed).toEqual({name: 'Prod', apiUrl: DEFAULT_API_URL, projectId: PROJECT, email: 'a@b.co', tokenStorage: 'keychain'});
	});

	it('refuses non-http URLs, bad project ids and e-mails with field names', () => {
		const result = ProfileSchema.safeParse({name: 'x', apiUrl: 'ftp://h/v3', projectId: '123', email: 'nope'});
		expect(result.success).toBe(false);
		const fields = result.error?.issues.map(issue => issue.path.join('.'));
		expect(fields).toEqual(expect.arrayContaining(['apiUrl', 'projectId', 'email']));
	});

	it('drops a password when parsing (strip mode)', () => {
		const parsed = ProfileSchema.parse({name: 'x', projectId: PROJECT, email: 'a@b.co', password: 'hunter2'});
		expect(parsed).not.toHaveProperty('password');
	});
});

describe('ProfileStore: profiles', () => {
	it('starts empty and keeps the file in the given folder, mode 0600', () => {
		const store = open();
		expect(store.list()).toEqual([]);
		expect(store.problems()).toEqual([]);
		expect(path.dirname(store.path)).toBe(dir);
		store.save(profile());
		expect(statSync(store.path).mode & 0o777).toBe(0o600);
	});

	it('saves, reads back through a new instance, and gets by name regardless of case', () => {
		open().save(profile({dashboardUrl: 'https://panel.example.com/dashboard'}));
		const store = open();
		expect(store.list()).toEqual([profile({dashboardUrl: 'https://panel.example.com/dashboard'})]);
		expect(store.get('pROD')?.email).toBe('admin@example.com');
		expect(store.get('Staging')).toBeUndefined();
	});

	it('keeps names unique regardless of case and spaces', () => {
		const store = open();
		store.save(profile());
		expect(() => store.save(profile({name: ' prod', projectId: OTHER_PROJECT}))).toThrow(/already exists/);
		expect(store.list()).toHaveLength(1);
	});

	it('edits in place and renames', () => {
		const store = open();
		store.save(profile());
		store.save(profile({name: 'Staging', projectId: OTHER_PROJECT}));
		store.touch('Prod');
		store.save(profile({name: 'Production', email: 'new@example.com'}), 'prod');
		expect(store.get('Prod')).toBeUndefined();
		const renamed = store.get('Production');
		expect(renamed?.email).toBe('new@example.com');
		// An edit keeps when it was last used.
		expect(renamed?.lastUsedAt).toBe(clock.toISOString());
		expect(store.list().map(entry => entry.name)).toEqual(['Production', 'Staging']);
		// Renaming onto another profile's name is refused; an unknown previous name too.
		expect(() => store.save(profile({name: 'staging'}), 'Production')).toThrow(/already exists/);
		expect(() => store.save(profile({name: 'X'}), 'Nope')).toThrow(/no profile named "Nope"/);
		// Saving under the same name with a different case is an edit, not a clash.
		store.save(profile({name: 'PRODUCTION'}), 'Production');
		expect(store.list().map(entry => entry.name).sort()).toEqual(['PRODUCTION', 'Staging']);
	});

	it('refuses invalid profiles with field messages, and the sandbox name', () => {
		const store = open();
		let caught: unknown;
		try {
			store.save({name: '', projectId: 'abc', email: 'a@b.co'});
		} catch (error) {
			caught = error;
		}

		expect(caught).toBeInstanceOf(ProfileError);
		expect((caught as ProfileError).issues).toEqual(expect.arrayContaining([expect.stringMatching(/^name: /), expect.stringMatching(/^projectId: .*24 hexadecimal/)]));
		expect(() => store.save(profile({name: SANDBOX_PROFILE_NAME.toUpperCase()}))).toThrow(/built-in sandbox/);
		expect(store.list()).toEqual([]);
	});

	it('refuses a profile carrying a password or token, and never writes it', () => {
		const store = open();
		expect(() => store.save({...profile(), password: 'hunter2'} as Profile)).toThrow(/never stores a password/);
		expect(() => store.save({...profile(), token: 'JWT abc'} as Profile)).toThrow(ProfileError);
		expect(store.list()).toEqual([]);
		store.save(profile());
		expect(fileText(store)).not.toMatch(/password|hunter2|JWT/);
	});

	it('removes a profile', async () => {
		const store = open();
		store.save(profile());
		store.save(profile({name: 'Staging'}));
		await store.remove('PROD');
		expect(store.list().map(entry => entry.name)).toEqual(['Staging']);
		await store.remove('unknown');
		expect(store.list()).toHaveLength(1);
	});

	it('lists by last use, then by name', () => {
		const store = open();
		for (const name of ['charlie', 'Alpha', 'bravo', 'delta']) {
			store.save(profile({name}));
		}

		store.touch('delta');
		clock = new Date('2024-05-02T10:00:00.000Z');
		store.touch('bravo');
		store.touch('nobody');
		expect(store.list().map(entry => entry.name)).toEqual(['bravo', 'delta', 'Alpha', 'charlie']);
		expect(store.get('bravo')?.lastUsedAt).toBe('2024-05-02T10:00:00.000Z');
	});

	it('exports the sandbox name and describes each token storage', () => {
		expect(SANDBOX_PROFILE_NAME).toBe('Sandbox (local rehearsal)');
		expect(describeTokenStorage('keychain')).toMatch(/OS keychain/);
		expect(describeTokenStorage('file')).toMatch(/0600.*anyone with your user account/);
		expect(describeTokenStorage('none')).toMatch(/asked for the password next time/);
	});
});

describe('ProfileStore: a hand-edited file', () => {
	function writeConfig(text: string): string {
		const file = path.join(dir, 'config.json');
		writeFileSync(file, text);
		return file;
	}

	it('skips bad entries and says which, where and why', () => {
		const file = writeConfig(`{
	"profiles": [
		{"name": "Good", "projectId": "${PROJECT}", "email": "a@b.co"},
		{"name": "Bad id", "projectId": "12345", "email": "a@b.co"},
		"just a string",
		{"name": "good", "projectId": "${PROJECT}", "email": "c@d.co"},
		{"name": "No mail", "projectId": "${PROJECT}",
			"apiUrl": "not a url"},
		{"name": "Sandbox (local rehearsal)", "projectId": "${PROJECT}", "email": "a@b.co"}
	]
}
`);
		const store = open();
		expect(store.list().map(entry => entry.name)).toEqual(['Good']);
		const problems = store.problems();
		expect(problems).toHaveLength(5);
		expect(problems[0]).toBe(`${file}:4: profile 2 ("Bad id") is skipped: projectId: a project id is 24 hexadecimal characters (see the dashboard URL: …/project/<id>/…).`);
		expect(problems[1]).toMatch(new RegExp(`^${escape(file)}:5: profile 3 is skipped: a profile is an object like `));
		expect(problems[2]).toBe(`${file}:6: profile 4 ("good") is skipped: profile 1 has the same name.`);
		expect(problems[3]).toMatch(new RegExp(`^${escape(file)}:8: profile 5 \\("No mail"\\) is skipped: apiUrl: .*; email: `));
		expect(problems[4]).toMatch(/:9: profile 6 \("Sandbox \(local rehearsal\)"\) is skipped: .*built-in sandbox/);
	});

	it('reports a password in the file, ignores it and removes it on the next save', () => {
		const file = writeConfig(JSON.stringify({profiles: [{name: 'Old', projectId: PROJECT, email: 'a@b.co', password: 'hunter2'}]}, null, '\t'));
		const store = open();
		expect(store.list()).toEqual([profile({name: 'Old', email: 'a@b.co'})]);
		expect(store.list()[0]).not.toHaveProperty('password');
		expect(store.problems()).toEqual([`${file}:7: profile 1 ("Old") has a "password" field, which is never used and is removed on the next save (passwords and tokens are not kept in this file).`]);
		store.save(profile({name: 'New'}));
		expect(readFileSync(file, 'utf8')).not.toMatch(/password|hunter2/);
		expect(store.problems()).toEqual([]);
		expect(store.list().map(entry => entry.name).sort()).toEqual(['New', 'Old']);
	});

	it('keeps broken entries on save, and lets a new profile replace a broken one of the same name', () => {
		writeConfig(JSON.stringify({profiles: [{name: 'Broken', projectId: 'x', email: 'a@b.co'}, {name: 'Fine', projectId: PROJECT, email: 'a@b.co'}]}));
		const store = open();
		store.save(profile({name: 'Other'}));
		expect(JSON.parse(fileText(store)).profiles[0]).toEqual({name: 'Broken', projectId: 'x', email: 'a@b.co'});
		expect(store.problems()).toHaveLength(1);
		store.save(profile({name: 'broken'}));
		expect(store.problems()).toEqual([]);
		expect(store.list().map(entry => entry.name).sort()).toEqual(['Fine', 'Other', 'broken']);
	});

	it('survives a file that is not JSON, then keeps a copy of it when saving', () => {
		const file = writeConfig('{"profiles": [ {"name": "x",, }');
		const store = open();
		expect(store.list()).toEqual([]);
		expect(store.problems()).toEqual([expect.stringMatching(new RegExp(`^${escape(file)} is not valid JSON: .* at line 1, column \\d+\\. Its profiles can't be used`))]);
		store.save(profile());
		expect(store.list().map(entry => entry.name)).toEqual(['Prod']);
		const copies = readdirSync(dir).filter(name => name.startsWith('config.json.broken-'));
		expect(copies).toHaveLength(1);
		expect(readFileSync(path.join(dir, copies[0]!), 'utf8')).toBe('{"profiles": [ {"name": "x",, }');
		expect(store.problems()).toEqual([expect.stringContaining(`A copy was kept as ${path.join(dir, copies[0]!)}`)]);
	});

	it('survives a file holding the wrong shapes', () => {
		writeConfig('{"profiles": {"name": "x"}, "recentFiles": "nope"}');
		const store = open();
		expect(store.list()).toEqual([]);
		expect(store.recentFiles()).toEqual([]);
		expect(store.problems()).toEqual([expect.stringMatching(/config\.json:1: "profiles" should be a list/)]);
		writeConfig('[1, 2]');
		expect(store.problems()).toEqual([expect.stringMatching(/does not hold a JSON object/)]);
	});
});

describe('ProfileStore: recent files', () => {
	it('keeps absolute paths, most recent first, without duplicates, at most 10', () => {
		const store = open();
		for (let i = 1; i <= 12; i++) {
			store.addRecentFile(path.join(dir, `f${i}.csv`));
		}

		store.addRecentFile(path.join(dir, 'f5.csv'));
		const recent = open().recentFiles();
		expect(recent).toHaveLength(10);
		expect(recent[0]).toBe(path.join(dir, 'f5.csv'));
		expect(recent.slice(1, 4)).toEqual([12, 11, 10].map(i => path.join(dir, `f${i}.csv`)));
		expect(recent).not.toContain(path.join(dir, 'f2.csv'));
		expect(new Set(recent).size).toBe(10);
	});

	it('makes relative paths absolute', () => {
		const store = open();
		store.addRecentFile('chats/export.json');
		expect(store.recentFiles()).toEqual([path.resolve('chats/export.json')]);
	});

	it('keeps recent files when profiles change, and the reverse', () => {
		const store = open();
		store.addRecentFile('/tmp/a.csv');
		store.save(profile());
		store.addRecentFile('/tmp/b.csv');
		expect(store.recentFiles()).toEqual(['/tmp/b.csv', '/tmp/a.csv']);
		expect(store.list()).toHaveLength(1);
	});
});

describe('ProfileStore: tokens in the keychain (a memory stand-in)', () => {
	it('round-trips a token, never into the config file', async () => {
		const store = open();
		const prod = profile();
		store.save(prod);
		expect(await store.getToken(prod)).toBeUndefined();
		expect(await store.saveToken(prod, 'JWT secret-token-1')).toBe('keychain');
		expect(await store.getToken(prod)).toBe('JWT secret-token-1');
		expect(secrets.accounts()).toEqual([tokenAccount(prod)]);
		expect(fileText(store)).not.toContain('secret-token');
		expect(readdirSync(dir)).toEqual(['config.json']);
		await store.deleteToken(prod);
		expect(await store.getToken(prod)).toBeUndefined();
	});

	it('keeps nothing for a "none" profile', async () => {
		const store = open();
		const nothing = profile({tokenStorage: 'none'});
		store.save(nothing);
		expect(await store.saveToken(nothing, 'JWT t')).toBe('none');
		expect(await store.getToken(nothing)).toBeUndefined();
		expect(secrets.accounts()).toEqual([]);
		expect(readdirSync(dir)).toEqual(['config.json']);
	});

	it('falls back to "none" (never to the file) when the keychain is unavailable or fails', async () => {
		const unavailable = new MemorySecretStore();
		unavailable.available = async () => false;
		const store = new ProfileStore({cwd: dir, secrets: unavailable});
		expect(await store.saveToken(profile(), 'JWT t')).toBe('none');
		expect(await store.getToken(profile())).toBeUndefined();
		const failing = new MemorySecretStore();
		failing.set = async () => {
			throw new Error('locked');
		};

		failing.get = async () => {
			throw new Error('locked');
		};

		const store2 = new ProfileStore({cwd: dir, secrets: failing});
		expect(await store2.saveToken(profile(), 'JWT t')).toBe('none');
		expect(await store2.getToken(profile())).toBeUndefined();
		expect(readdirSync(dir)).not.toContain('tokens.json');
	});

	it('deletes the token when the profile is removed, unless another profile shares it', async () => {
		const store = open();
		const prod = profile();
		const twin = profile({name: 'Prod again'});
		store.save(prod);
		store.save(twin);
		await store.saveToken(prod, 'JWT shared');
		await store.remove('Prod');
		expect(await store.getToken(twin)).toBe('JWT shared');
		await store.remove('Prod again');
		expect(secrets.accounts()).toEqual([]);
	});

	it('deletes the old token when an edit changes the account or the storage', async () => {
		const store = open();
		const prod = profile();
		store.save(prod);
		await store.saveToken(prod, 'JWT old');
		// A rename alone keeps the token.
		store.save({...prod, name: 'Renamed'}, 'Prod');
		await store.settled();
		expect(await store.getToken({...prod, name: 'Renamed'})).toBe('JWT old');
		// Another project: the old account's token goes.
		const moved = profile({name: 'Renamed', projectId: OTHER_PROJECT});
		store.save(moved, 'Renamed');
		await store.settled();
		expect(secrets.accounts()).toEqual([]);
		// From keychain to none: the keychain copy goes.
		await store.saveToken(moved, 'JWT new');
		store.save({...moved, tokenStorage: 'none'}, 'Renamed');
		await store.settled();
		expect(secrets.accounts()).toEqual([]);
	});
});

function escape(text: string): string {
	return text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`);
}
