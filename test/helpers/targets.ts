/**
 * Where contract scenarios run: the in-process sandbox (always, unless CONTRACT_TARGETS excludes it) and a real
 * Tiledesk server when TILEDESK_URL, TILEDESK_EMAIL, TILEDESK_PASSWORD and TILEDESK_PROJECT_ID are set
 * (CONTRACT_TARGETS=real: the real server only, as in the CI live lane). Also the raw-HTTP helpers the scenarios
 * use to look at status codes and bodies exactly as the server sends them.
 */
import {startSandbox, type Sandbox, type SandboxCredentials} from '../../source/core/sandbox/server.js';

export interface Connected {
	url: string;
	credentials: SandboxCredentials;
	/** The in-process sandbox (fault control, state), when the target is the sandbox. */
	sandbox?: Sandbox;
	close(): Promise<void>;
}

export interface Target {
	name: 'sandbox' | 'real';
	/** Starts (sandbox) or just describes (real) the server. */
	connect(): Promise<Connected>;
}

/** The targets CONTRACT_TARGETS asks for (default: both). */
export function wantedTargets(env: NodeJS.ProcessEnv = process.env): string[] {
	return (env['CONTRACT_TARGETS'] ?? 'sandbox,real').split(',').map((s) => s.trim());
}

/**
 * The sandbox when wanted, and the real server when its variables are set. CONTRACT_TARGETS naming `real`
 * explicitly without those variables is a setup mistake (the live lane would test nothing): it throws.
 */
export function contractTargets(env: NodeJS.ProcessEnv = process.env): Target[] {
	const wanted = wantedTargets(env);
	const targets: Target[] = [];
	if (wanted.includes('sandbox')) targets.push(sandboxOnly());
	const url = env['TILEDESK_URL'];
	const configured = Boolean(url && env['TILEDESK_EMAIL'] && env['TILEDESK_PASSWORD'] && env['TILEDESK_PROJECT_ID']);
	if (wanted.includes('real') && !configured && env['CONTRACT_TARGETS'] !== undefined) {
		throw new Error(
			'CONTRACT_TARGETS asks for the real server but TILEDESK_URL, TILEDESK_EMAIL, TILEDESK_PASSWORD and TILEDESK_PROJECT_ID are not all set: run  eval "$(bash ../shared/tiledesk-server/tiledesk-local.sh bootstrap)"  first',
		);
	}
	if (wanted.includes('real') && configured) {
		targets.push({
			name: 'real',
			async connect() {
				return {
					url: url!,
					credentials: {
						email: env['TILEDESK_EMAIL']!,
						password: env['TILEDESK_PASSWORD']!,
						agentEmail: env['TILEDESK_AGENT_EMAIL'] ?? '',
						agentPassword: env['TILEDESK_AGENT_PASSWORD'] ?? '',
						agentId: env['TILEDESK_AGENT_ID'] ?? '',
						projectId: env['TILEDESK_PROJECT_ID']!,
					},
					close: async () => {},
				};
			},
		});
	}
	return targets;
}

/** The in-process sandbox, for production behaviour the local real server cannot show. */
export function sandboxOnly(): Target {
	return {
		name: 'sandbox',
		async connect() {
			const sandbox = await startSandbox({port: 0});
			return {url: sandbox.url, credentials: sandbox.credentials, sandbox, close: () => sandbox.close()};
		},
	};
}

export interface RawResponse {
	status: number;
	headers: Headers;
	text: string;
	/** The parsed body when it is JSON, else undefined. */
	json: unknown;
}

/** One HTTP call with plain fetch: `body` is JSON-encoded unless `raw` gives the exact bytes. */
export async function raw(
	url: string,
	method: string,
	path: string,
	options: {authorization?: string; body?: unknown; raw?: string; timeoutMs?: number} = {},
): Promise<RawResponse> {
	const headers: Record<string, string> = {};
	if (options.authorization) headers['authorization'] = options.authorization;
	const payload = options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
	if (payload !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(`${url}${path}`, {method, headers, ...(payload !== undefined ? {body: payload} : {}), signal: AbortSignal.timeout(options.timeoutMs ?? 15_000)});
	const text = await res.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return {status: res.status, headers: res.headers, text, json};
}

export const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

let counter = 0;
/** A request_id no earlier run used (the real server keeps its data until it restarts), with the chat21 prefix. */
export function uniqueRequestId(projectId: string, label: string): string {
	return `support-group-${projectId}-${label}-${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
