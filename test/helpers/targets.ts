/**
 * Where contract scenarios run: the in-process sandbox (always, unless CONTRACT_TARGETS excludes it) and a real
 * Tiledesk server when TILEDESK_URL, TILEDESK_EMAIL, TILEDESK_PASSWORD and TILEDESK_PROJECT_ID are set
 * (CONTRACT_TARGETS=real: the real server only, as in the CI live lane).
 */
import {startSandbox, type Sandbox, type SandboxCredentials} from '../../source/core/sandbox/server.js';

export interface Target {
	name: 'sandbox' | 'real';
	/** Starts (sandbox) or just describes (real) the server. */
	connect(): Promise<{url: string; credentials: SandboxCredentials; close(): Promise<void>}>;
}

export function contractTargets(env: NodeJS.ProcessEnv = process.env): Target[] {
	const wanted = (env['CONTRACT_TARGETS'] ?? 'sandbox,real').split(',').map((s) => s.trim());
	const targets: Target[] = [];
	if (wanted.includes('sandbox')) {
		targets.push({
			name: 'sandbox',
			async connect() {
				const sandbox: Sandbox = await startSandbox({port: 0});
				return {url: sandbox.url, credentials: sandbox.credentials, close: () => sandbox.close()};
			},
		});
	}
	const url = env['TILEDESK_URL'];
	if (wanted.includes('real') && url && env['TILEDESK_EMAIL'] && env['TILEDESK_PASSWORD'] && env['TILEDESK_PROJECT_ID']) {
		targets.push({
			name: 'real',
			async connect() {
				return {
					url,
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
