/**
 * From connection settings (flags, environment, a profile) to a signed-in client: sign in once with e-mail and
 * password (or use a token) so every later call carries the JWT (Basic auth costs the server two bcrypt checks
 * per call), then test the connection: project name, plan, role.
 */
import type {ConnectionInfo, TiledeskApi} from '../tiledesk/api.js';
import {TiledeskClient} from '../tiledesk/client.js';
import {TiledeskError} from '../tiledesk/errors.js';

export const DEFAULT_API_URL = 'https://api.tiledesk.com/v3';

export interface ConnectionSettings {
	baseUrl: string;
	projectId: string;
	email?: string;
	password?: string;
	/** A token from an earlier sign-in (`JWT …`); used instead of the password. */
	token?: string;
	allowInsecureHttp?: boolean;
}

export interface Connected {
	client: TiledeskApi;
	info: ConnectionInfo;
	/** The JWT in use (to keep in the OS keychain); never printed. */
	token: string;
	/** Round trip of the project lookup, for time estimates. */
	roundTripMs: number;
}

const ROLE_RANK: Record<string, number> = {guest: 0, user: 1, teammate: 2, agent: 3, supervisor: 4, admin: 5, owner: 6};

export function roleAtLeast(role: string | undefined, needed: 'agent' | 'owner'): boolean {
	return (ROLE_RANK[role ?? ''] ?? -1) >= (ROLE_RANK[needed] ?? 99);
}

export async function connect(settings: ConnectionSettings, options: {signal?: AbortSignal; needRole?: 'agent' | 'owner'} = {}): Promise<Connected> {
	const base = {baseUrl: settings.baseUrl, projectId: settings.projectId, ...(settings.allowInsecureHttp ? {allowInsecureHttp: true} : {})};
	let client: TiledeskClient;
	let token: string;
	if (settings.token) {
		token = settings.token.startsWith('JWT ') ? settings.token : `JWT ${settings.token}`;
		client = new TiledeskClient({...base, auth: {kind: 'jwt', token}});
	} else {
		if (!settings.email || !settings.password) {
			throw new TiledeskError({kind: 'bad-credentials', retryable: false, message: 'An e-mail and a password (or a token) are needed to sign in.'});
		}
		const signed = await TiledeskClient.signIn({...base, email: settings.email, password: settings.password, ...(options.signal ? {signal: options.signal} : {})});
		client = signed.client;
		token = signed.token;
	}
	try {
		const started = performance.now();
		const info = await client.testConnection(options.signal);
		// Its two calls go out together: the time they take is one round trip.
		const roundTripMs = performance.now() - started;
		if (options.needRole && !roleAtLeast(info.role, options.needRole)) {
			throw new TiledeskError({
				kind: 'forbidden',
				reason: 'role-too-low',
				retryable: false,
				message: `Your role in project "${info.project.name}" is ${info.role ?? 'unknown'}; ${options.needRole === 'owner' ? 'deleting conversations needs the owner role' : 'importing needs agent or higher'}.`,
			});
		}
		return {client, info, token, roundTripMs};
	} catch (error) {
		await client.close();
		throw error;
	}
}
