/**
 * Connection flags shared by `import` and `undo`: flags first, then the environment (TILEDESK_URL,
 * TILEDESK_PROJECT_ID, TILEDESK_EMAIL, TILEDESK_PASSWORD or TILEDESK_TOKEN), then a prompt on a terminal.
 * There is deliberately no --password flag: a password on the command line is visible to every user of the
 * machine (ps) and stays in shell history.
 */
import {DEFAULT_API_URL, type ConnectionSettings} from '../core/connection/connect.js';
import {ProfileStore} from '../core/profiles/store.js';
import type {Profile} from '../core/profiles/profile.js';
import {askHidden, readStdin} from './prompt.js';
import {UsageError, type CommandIO} from './io.js';

export const connectionOptionSpecs = {
	profile: {type: 'string'},
	url: {type: 'string'},
	project: {type: 'string'},
	email: {type: 'string'},
	'password-stdin': {type: 'boolean'},
	'dashboard-url': {type: 'string'},
	'allow-insecure-http': {type: 'boolean'},
} as const;

export const connectionHelp = `  --profile NAME        a profile saved with the wizard (URL, project, e-mail; its stored sign-in if any)
  --url URL             API base URL (env TILEDESK_URL; default ${DEFAULT_API_URL})
  --project ID          project id, 24 hex characters (env TILEDESK_PROJECT_ID)
  --email E             your Tiledesk login (env TILEDESK_EMAIL)
  --password-stdin      read the password from stdin (else env TILEDESK_PASSWORD, env TILEDESK_TOKEN, or a prompt)
  --dashboard-url URL   dashboard base for report links (env TILEDESK_DASHBOARD_URL)
  --allow-insecure-http allow plain http:// to a host other than this machine`;

export interface ConnectionValues {
	profile?: string;
	url?: string;
	project?: string;
	email?: string;
	'password-stdin'?: boolean;
	'dashboard-url'?: string;
	'allow-insecure-http'?: boolean;
}

export interface ResolvedConnection {
	settings: ConnectionSettings;
	dashboardUrl?: string;
}

export async function resolveConnection(v: ConnectionValues, io: CommandIO & {stdin?: NodeJS.ReadStream; interactive?: boolean}): Promise<ResolvedConnection> {
	const env = io.env;
	let profile: Profile | undefined;
	let storedToken: string | undefined;
	if (v.profile) {
		const store = new ProfileStore();
		profile = store.get(v.profile);
		if (!profile) {
			const names = store.list().map((p) => p.name);
			throw new UsageError(`no profile named "${v.profile}"`, names.length ? `profiles: ${names.join(', ')}` : 'create one with the wizard: run tiledesk-import without arguments');
		}
		storedToken = await store.getToken(profile).catch(() => undefined);
	}
	const baseUrl = v.url ?? profile?.apiUrl ?? env['TILEDESK_URL'] ?? DEFAULT_API_URL;
	const projectId = v.project ?? profile?.projectId ?? env['TILEDESK_PROJECT_ID'];
	if (!projectId) throw new UsageError('no project id', 'pass --project ID (24 hex characters, from the dashboard URL …/project/<id>/…) or set TILEDESK_PROJECT_ID');
	const settings: ConnectionSettings = {baseUrl, projectId, ...(v['allow-insecure-http'] ? {allowInsecureHttp: true} : {})};
	const token = storedToken ?? env['TILEDESK_TOKEN'];
	const email = v.email ?? profile?.email ?? env['TILEDESK_EMAIL'];
	if (storedToken && !v['password-stdin']) {
		settings.token = storedToken;
	} else if (v['password-stdin']) {
		if (!email) throw new UsageError('--password-stdin needs --email (or TILEDESK_EMAIL)');
		settings.email = email;
		settings.password = await readStdin(io.stdin ?? process.stdin);
	} else if (env['TILEDESK_PASSWORD'] && email) {
		settings.email = email;
		settings.password = env['TILEDESK_PASSWORD'];
	} else if (token) {
		settings.token = token;
	} else if (email && io.interactive) {
		settings.email = email;
		settings.password = await askHidden(`Password for ${email}: `);
	} else {
		throw new UsageError('no credentials', 'pass --email and set TILEDESK_PASSWORD (or --password-stdin), or set TILEDESK_TOKEN');
	}
	const dashboardUrl = v['dashboard-url'] ?? profile?.dashboardUrl ?? env['TILEDESK_DASHBOARD_URL'];
	return {settings, ...(dashboardUrl ? {dashboardUrl} : {})};
}
