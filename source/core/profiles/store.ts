/**
 * The saved connection profiles and recent transcript files, in `conf`'s per-user config file, and the sign-in
 * token of each profile, in the store the profile chose (OS keychain, opt-in 0600 file, or nowhere). The config
 * file is read and validated with zod on every call (it can be hand-edited or stale): bad entries are skipped
 * and described by `problems()` with file, line and field. It never holds a password or a token; entries that
 * carry one (hand-edited) have it dropped on the next write. React-free: the wizard and the CLI both use it.
 */
import {copyFileSync} from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import {findNodeAtLocation, parseTree, type Node} from 'jsonc-parser';
import {isRecord, lineColumnAt, parseJsonText} from '../readers/vendor-a/json-file.js';
import {FileSecretStore, TOKEN_FILE_NAME} from './file-secrets.js';
import {KeychainSecretStore} from './keychain.js';
import {
	FORBIDDEN_PROFILE_KEYS,
	ProfileSchema,
	SANDBOX_PROFILE_NAME,
	describeIssues,
	sameProfileName,
	secretKeysIn,
	tokenAccount,
	type Profile,
	type ProfileInput,
	type TokenStorage,
} from './profile.js';
import type {SecretStore} from './secrets.js';

export const RECENT_FILES_LIMIT = 10;

export interface ProfileStoreOptions {
	/** Folder of the config file (tests: a temp dir); default: conf's per-user config dir for `tiledesk-import`. */
	cwd?: string;
	/** Stands in for the OS keychain (tests: a MemorySecretStore); default: the keychain via `@napi-rs/keyring`. */
	secrets?: SecretStore;
	/** Clock for `lastUsedAt` (tests). */
	now?: () => Date;
}

/** A profile that can't be saved as given; `issues` are `field: message` lines for the form. */
export class ProfileError extends Error {
	readonly issues: string[];

	constructor(message: string, issues: string[] = []) {
		super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message);
		this.name = 'ProfileError';
		this.issues = issues;
	}
}

type RawStore = Record<string, unknown>;

interface Loaded {
	store: RawStore;
	/** The `profiles` array as found (entries untouched). */
	raw: unknown[];
	/** Valid profiles with their index in `raw`. */
	valid: Array<{index: number; profile: Profile}>;
	problems: string[];
}

export class ProfileStore {
	/** The config file (shown in the UI). */
	readonly path: string;
	/** The opt-in token file beside it. */
	readonly tokenFilePath: string;
	readonly #conf: Conf<RawStore>;
	readonly #keychain: SecretStore;
	readonly #file: FileSecretStore;
	readonly #now: () => Date;
	/** Set by each read: why the file's text couldn't be used, and the text itself (to locate entries). */
	#unreadable: string | undefined;
	#text = '';
	#notices: string[] = [];
	#pending = new Set<Promise<void>>();

	constructor(options: ProfileStoreOptions = {}) {
		this.#conf = new Conf<RawStore>({
			projectName: 'tiledesk-import',
			...(options.cwd === undefined ? {} : {cwd: options.cwd}),
			configFileMode: 0o600,
			accessPropertiesByDotNotation: false,
			deserialize: text => this.#deserialize(text),
		});
		this.path = this.#conf.path;
		this.tokenFilePath = path.join(path.dirname(this.path), TOKEN_FILE_NAME);
		this.#keychain = options.secrets ?? new KeychainSecretStore();
		this.#file = new FileSecretStore(this.tokenFilePath);
		this.#now = options.now ?? (() => new Date());
	}

	/** The usable profiles, most recently used first, then by name. Bad entries are left out (see `problems()`). */
	list(): Profile[] {
		return this.#load().valid.map(entry => entry.profile).sort(byRecentThenName);
	}

	/** One human sentence per entry of the config file that can't be used (file, line, field and why). */
	problems(): string[] {
		return [...this.#notices, ...this.#load().problems];
	}

	get(name: string): Profile | undefined {
		return this.#load().valid.find(entry => sameProfileName(entry.profile.name, name))?.profile;
	}

	/**
	 * Creates a profile, or replaces the one named `previousName` (edit or rename). Names are unique regardless of
	 * case; a new profile may take the name of a broken entry, which it replaces. Throws `ProfileError` for an
	 * invalid profile, a name in use, an unknown `previousName`, or a profile carrying a password or token.
	 * When the edit changes where the token lives (account, server, project or storage), the old token is deleted.
	 */
	save(input: Profile | ProfileInput, previousName?: string): void {
		const secrets = secretKeysIn(input);
		if (secrets.length > 0) {
			throw new ProfileError(`A profile never stores a password or a token (found: ${secrets.join(', ')}); sign in and use saveToken() for the token`);
		}

		const parsed = ProfileSchema.safeParse(input);
		if (!parsed.success) {
			throw new ProfileError('The profile is not valid', describeIssues(parsed.error));
		}

		const profile = parsed.data;
		if (sameProfileName(profile.name, SANDBOX_PROFILE_NAME)) {
			throw new ProfileError(`"${SANDBOX_PROFILE_NAME}" is the built-in sandbox; choose another name`);
		}

		const loaded = this.#load();
		let replace: number | undefined;
		let previous: Profile | undefined;
		if (previousName !== undefined) {
			const found = loaded.valid.find(entry => sameProfileName(entry.profile.name, previousName));
			if (!found) {
				throw new ProfileError(`There is no profile named "${previousName}"`);
			}

			replace = found.index;
			previous = found.profile;
		}

		const clash = loaded.valid.find(entry => entry.index !== replace && sameProfileName(entry.profile.name, profile.name));
		if (clash) {
			throw new ProfileError(`A profile named "${clash.profile.name}" already exists; choose another name`);
		}

		const profiles = [...loaded.raw];
		// Broken entries with this name are replaced by the new one (the way to repair a hand-edited entry).
		const broken = new Set(loaded.raw.flatMap((entry, index) =>
			index !== replace && !loaded.valid.some(valid => valid.index === index) && isRecord(entry)
			&& typeof entry['name'] === 'string' && sameProfileName(entry['name'], profile.name) ? [index] : []));
		const saved: Profile = previous?.lastUsedAt && !profile.lastUsedAt ? {...profile, lastUsedAt: previous.lastUsedAt} : profile;
		if (replace === undefined) {
			profiles.push(saved);
		} else {
			profiles[replace] = saved;
		}

		this.#write(loaded.store, {profiles: profiles.filter((_entry, index) => !broken.has(index))});
		if (previous && (tokenAccount(previous) !== tokenAccount(saved) || previous.tokenStorage !== saved.tokenStorage)) {
			// Only the old store is cleaned, so this can't race with a token the caller saves next for the new one.
			this.#background(this.#forgetToken(previous, [previous.tokenStorage]));
		}
	}

	/** Deletes the profile (and any broken entry of that name) and its stored token. Unknown names do nothing. */
	async remove(name: string): Promise<void> {
		const loaded = this.#load();
		const victim = loaded.valid.find(entry => sameProfileName(entry.profile.name, name))?.profile;
		const keep = loaded.raw.filter(entry => !(isRecord(entry) && typeof entry['name'] === 'string' && sameProfileName(entry['name'], name)));
		if (keep.length !== loaded.raw.length) {
			this.#write(loaded.store, {profiles: keep});
		}

		if (victim) {
			await this.#forgetToken(victim, [victim.tokenStorage, 'file']);
		}
	}

	/** Marks the profile as just used (it moves to the top of `list()`). */
	touch(name: string): void {
		const loaded = this.#load();
		const found = loaded.valid.find(entry => sameProfileName(entry.profile.name, name));
		if (!found) {
			return;
		}

		const profiles = [...loaded.raw];
		profiles[found.index] = {...found.profile, lastUsedAt: this.#now().toISOString()};
		this.#write(loaded.store, {profiles});
	}

	/** Transcript files opened lately: absolute paths, most recent first, at most 10. */
	recentFiles(): string[] {
		const value = this.#load().store['recentFiles'];
		if (!Array.isArray(value)) {
			return [];
		}

		const files = value.filter((entry): entry is string => typeof entry === 'string' && entry !== '' && path.isAbsolute(entry));
		return [...new Set(files)].slice(0, RECENT_FILES_LIMIT);
	}

	addRecentFile(file: string): void {
		const absolute = path.resolve(file);
		const loaded = this.#load();
		this.#write(loaded.store, {recentFiles: [absolute, ...this.recentFiles().filter(entry => entry !== absolute)].slice(0, RECENT_FILES_LIMIT)});
	}

	/** The token kept for this profile, if any (never throws: an unavailable store means no token). */
	async getToken(profile: Profile): Promise<string | undefined> {
		const store = await this.#storeFor(profile.tokenStorage);
		if (!store) {
			return undefined;
		}

		try {
			const token = await store.get(tokenAccount(profile));
			return token === '' ? undefined : token;
		} catch {
			return undefined;
		}
	}

	/**
	 * Keeps the token where the profile says, and tells where it actually went: `none` when the profile keeps
	 * nothing or its store is unavailable or fails (the password is then asked again next time). Never falls back
	 * from the keychain to the file: the file is an explicit choice.
	 */
	async saveToken(profile: Profile, token: string): Promise<TokenStorage> {
		if (token === '') {
			return 'none';
		}

		const store = await this.#storeFor(profile.tokenStorage);
		if (!store) {
			return 'none';
		}

		try {
			await store.set(tokenAccount(profile), token);
			return profile.tokenStorage;
		} catch {
			return 'none';
		}
	}

	/** Forgets the profile's token (e.g. the server refused it): from its store, and from the token file. Never throws. */
	async deleteToken(profile: Profile): Promise<void> {
		const kinds = new Set<TokenStorage>([profile.tokenStorage, 'file']);
		await Promise.all([...kinds].map(async kind => this.#deleteFrom(kind, tokenAccount(profile))));
	}

	/** Resolves when the token clean-ups started by `save()` are done (they never reject). */
	async settled(): Promise<void> {
		while (this.#pending.size > 0) {
			// eslint-disable-next-line no-await-in-loop
			await Promise.all(this.#pending);
		}
	}

	/**
	 * Deletes a token no longer needed from the given stores, except where a remaining profile keeps a token for
	 * the same account in the same store (two profiles that differ only by name share it).
	 */
	async #forgetToken(profile: Profile, kinds: TokenStorage[]): Promise<void> {
		const account = tokenAccount(profile);
		const remaining = this.list();
		await Promise.all([...new Set(kinds)].map(async kind => {
			if (!remaining.some(other => other.tokenStorage === kind && tokenAccount(other) === account)) {
				await this.#deleteFrom(kind, account);
			}
		}));
	}

	async #deleteFrom(kind: TokenStorage, account: string): Promise<void> {
		try {
			const store = await this.#storeFor(kind);
			await store?.delete(account);
		} catch {}
	}

	#background(work: Promise<void>): void {
		const tracked = work.catch(() => undefined).finally(() => this.#pending.delete(tracked));
		this.#pending.add(tracked);
	}

	async #storeFor(kind: TokenStorage): Promise<SecretStore | undefined> {
		const store = kind === 'keychain' ? this.#keychain : kind === 'file' ? this.#file : undefined;
		if (!store) {
			return undefined;
		}

		try {
			return (await store.available()) ? store : undefined;
		} catch {
			return undefined;
		}
	}

	/** conf's deserializer: never throws, so a broken file reads as empty and is described, not fatal. */
	#deserialize(text: string): RawStore {
		this.#text = text;
		this.#unreadable = undefined;
		const result = parseJsonText(text, this.path);
		if (!result.ok) {
			this.#unreadable = result.finding.message;
			return {};
		}

		if (!isRecord(result.value)) {
			this.#unreadable = `${this.path} does not hold a JSON object ({"profiles": [...]}).`;
			return {};
		}

		return result.value;
	}

	#load(): Loaded {
		this.#unreadable = undefined;
		this.#text = '';
		let store: RawStore;
		try {
			store = {...this.#conf.store};
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			return {store: {}, raw: [], valid: [], problems: [`Cannot read ${this.path}: ${code ?? (error as Error).message}.`]};
		}

		const problems: string[] = this.#unreadable ? [`${this.#unreadable} Its profiles can't be used; the next save keeps a copy of it and starts a new file.`] : [];
		const profiles = store['profiles'];
		if (profiles !== undefined && !Array.isArray(profiles)) {
			problems.push(`${this.#where(['profiles'])}: "profiles" should be a list ([...]); its content is ignored.`);
		}

		const raw = Array.isArray(profiles) ? profiles : [];
		const valid: Loaded['valid'] = [];
		for (const [index, entry] of raw.entries()) {
			const label = `profile ${index + 1}${isRecord(entry) && typeof entry['name'] === 'string' ? ` ("${entry['name']}")` : ''}`;
			const secrets = secretKeysIn(entry);
			if (secrets.length > 0) {
				problems.push(`${this.#where(['profiles', index, secrets[0]!])}: ${label} has a "${secrets[0]}" field, which is never used and is removed on the next save (passwords and tokens are not kept in this file).`);
			}

			const parsed = ProfileSchema.safeParse(entry);
			if (!parsed.success) {
				const first = parsed.error.issues[0];
				problems.push(`${this.#where(['profiles', index, ...(first?.path ?? []).map(key => typeof key === 'number' ? key : String(key))])}: ${label} is skipped: ${describeIssues(parsed.error).join('; ')}.`);
				continue;
			}

			const profile = parsed.data;
			if (sameProfileName(profile.name, SANDBOX_PROFILE_NAME)) {
				problems.push(`${this.#where(['profiles', index, 'name'])}: ${label} is skipped: "${SANDBOX_PROFILE_NAME}" is the built-in sandbox's name.`);
				continue;
			}

			const twin = valid.find(other => sameProfileName(other.profile.name, profile.name));
			if (twin) {
				problems.push(`${this.#where(['profiles', index, 'name'])}: ${label} is skipped: profile ${twin.index + 1} has the same name.`);
				continue;
			}

			valid.push({index, profile});
		}

		return {store, raw, valid, problems};
	}

	/** `file:line` of a JSON path in the config file's last read text (just the file when it can't be located). */
	#where(jsonPath: Array<string | number>): string {
		let node: Node | undefined;
		try {
			const tree = parseTree(this.#text);
			for (let depth = jsonPath.length; tree && !node && depth > 0; depth--) {
				node = findNodeAtLocation(tree, jsonPath.slice(0, depth));
			}
		} catch {}

		if (!node) {
			return this.path;
		}

		// A property's value sits after its key: point at the key's line.
		const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
		return `${this.path}:${lineColumnAt(this.#text, at).line}`;
	}

	/** Writes the store with `changes`, dropping secret fields from every entry; keeps a copy of an unreadable file first. */
	#write(store: RawStore, changes: RawStore): void {
		if (this.#unreadable) {
			const copy = `${this.path}.broken-${this.#now().toISOString().replaceAll(/[:.]/g, '-')}`;
			try {
				copyFileSync(this.path, copy);
				this.#notices.push(`${this.#unreadable} A copy was kept as ${copy} and a new file was started.`);
			} catch {
				this.#notices.push(`${this.#unreadable} It was replaced by a new file.`);
			}

			this.#unreadable = undefined;
		}

		const next: RawStore = {...store, ...changes};
		if (Array.isArray(next['profiles'])) {
			next['profiles'] = next['profiles'].map(entry => withoutSecrets(entry));
		}

		this.#conf.store = next;
	}
}

function withoutSecrets(entry: unknown): unknown {
	if (!isRecord(entry) || secretKeysIn(entry).length === 0) {
		return entry;
	}

	const copy: Record<string, unknown> = {...entry};
	for (const key of FORBIDDEN_PROFILE_KEYS) {
		delete copy[key];
	}

	return copy;
}

function byRecentThenName(a: Profile, b: Profile): number {
	const at = usedAt(a);
	const bt = usedAt(b);
	if (at !== bt) {
		return bt - at;
	}

	return a.name.localeCompare(b.name, 'en', {sensitivity: 'base'});
}

function usedAt(profile: Profile): number {
	const time = profile.lastUsedAt === undefined ? Number.NaN : Date.parse(profile.lastUsedAt);
	return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}
