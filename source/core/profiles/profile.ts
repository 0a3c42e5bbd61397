/**
 * A saved connection profile (what the wizard's Connection screen lists and `--profile NAME` picks): where the
 * Tiledesk API is, which project, which account, and where that account's token may be kept. Never a password,
 * never a token: those stay out of the profile file (see store.ts and the secret stores).
 */
import {z} from 'zod';
import {DEFAULT_API_URL} from '../connection/connect.js';

export {DEFAULT_API_URL};

/** The built-in rehearsal profile. The wizard builds it (it starts the in-process sandbox); it is never stored. */
export const SANDBOX_PROFILE_NAME = 'Sandbox (local rehearsal)';

export const TOKEN_STORAGE_KINDS = ['keychain', 'file', 'none'] as const;
export type TokenStorage = (typeof TOKEN_STORAGE_KINDS)[number];

/** Keys that must never be in a profile: a profile that carries one is refused on save and reported on read. */
export const FORBIDDEN_PROFILE_KEYS = ['password', 'token', 'jwt', 'secret'] as const;

/** A string field whose missing/wrong-type message names it (zod's default says "expected string, received undefined"). */
const text = (what: string) => z.string({error: issue => (issue.input === undefined ? `${what} is missing` : `${what} must be text`)}).trim();

const httpUrl = (what: string) => text(what).refine(
	value => /^https?:\/\/\S+$/i.test(value) && URL.canParse(value),
	`${what} must be a full http:// or https:// URL, like ${DEFAULT_API_URL}`,
);

export const ProfileSchema = z.object({
	name: text('the name').min(1, 'a profile needs a name').max(60, 'a profile name has at most 60 characters'),
	apiUrl: httpUrl('the API URL').default(DEFAULT_API_URL),
	dashboardUrl: httpUrl('the dashboard URL').optional(),
	projectId: text('the project id').regex(/^[0-9a-f]{24}$/i, 'a project id is 24 hexadecimal characters (see the dashboard URL: …/project/<id>/…)'),
	email: text('the e-mail').email('the e-mail is not a valid address'),
	tokenStorage: z.enum(TOKEN_STORAGE_KINDS, {error: 'token storage is one of keychain, file, none'}).default('keychain'),
	lastUsedAt: z.string({error: 'lastUsedAt must be a date text'}).optional(),
}, {error: 'a profile is an object like {"name": …, "projectId": …, "email": …}'});

export type Profile = z.infer<typeof ProfileSchema>;
/** What a caller may pass to save (defaults not yet applied). */
export type ProfileInput = z.input<typeof ProfileSchema>;

/** One line per zod issue: `field: message` (just the message for the whole entry). */
export function describeIssues(error: z.ZodError): string[] {
	return error.issues.map(issue => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message));
}

/** The forbidden (secret) keys present on an object, if any. */
export function secretKeysIn(value: unknown): string[] {
	if (typeof value !== 'object' || value === null) {
		return [];
	}
	return FORBIDDEN_PROFILE_KEYS.filter(key => Object.hasOwn(value, key));
}

/** Profile names are unique regardless of case and surrounding spaces. */
export function sameProfileName(a: string, b: string): boolean {
	return a.trim().toLocaleLowerCase('en') === b.trim().toLocaleLowerCase('en');
}

/**
 * The account name under which a profile's token is kept (keychain account, key in the token file): one per
 * e-mail, server and project. Two profiles that differ only by name share it.
 */
export function tokenAccount(profile: Pick<Profile, 'email' | 'apiUrl' | 'projectId'>): string {
	const apiUrl = profile.apiUrl.trim().replace(/\/+$/, '').toLowerCase();
	return `${profile.email.trim().toLowerCase()}@${apiUrl}#${profile.projectId.trim().toLowerCase()}`;
}

/** A short sentence for the UI about what happens to the token with this storage choice. */
export function describeTokenStorage(kind: TokenStorage | 'memory'): string {
	switch (kind) {
		case 'keychain': {
			return 'kept in the OS keychain';
		}

		case 'file': {
			return 'kept in a file only you can read (0600): anyone with your user account can use it';
		}

		case 'memory': {
			return 'kept in memory for this run only';
		}

		case 'none': {
			return 'not kept: you\'ll be asked for the password next time';
		}
	}
}
