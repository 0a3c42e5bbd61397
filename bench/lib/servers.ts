/**
 * What the import and TUI suites share: the import workload (JSONL, N conversations × M messages, three roles,
 * cached by name) and `tiledesk-import sandbox` as a separate process (so its CPU is not the measured child's).
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

/** Where a child task imports to (a Server without its close, which stays with the runner). */
export interface ServerArgs {
	url: string;
	email: string;
	password: string;
	projectId: string;
}

export interface Server extends ServerArgs {
	close(): Promise<void>;
}

/** A JSONL transcript of `conversations` × `messages` (three roles, realistic lengths), cached. */
export function workload(dir: string, conversations: number, messages: number, prefix = 'import'): string {
	mkdirSync(dir, {recursive: true});
	const path = join(dir, `${prefix}-${conversations}x${messages}.jsonl`);
	if (existsSync(path)) return path;
	const lines: string[] = [];
	const start = Date.UTC(2024, 0, 1);
	for (let c = 0; c < conversations; c++) {
		for (let m = 0; m < messages; m++) {
			const role = m % 3 === 0 ? 'end-user' : m % 3 === 1 ? 'agent' : 'bot';
			lines.push(
				JSON.stringify({
					conversationId: `bench-${c}`,
					senderId: role === 'end-user' ? `customer-${c}` : role === 'agent' ? `agent-${c % 5}` : 'faq-bot',
					senderName: role === 'end-user' ? `Customer ${c}` : role === 'agent' ? `Agent ${c % 5}` : 'FAQ bot',
					role,
					text: `Message ${m} of conversation ${c}: ${'lorem ipsum dolor sit amet '.repeat(1 + (m % 4))}`,
					timestamp: new Date(start + c * 3_600_000 + m * 30_000).toISOString(),
				}),
			);
		}
	}
	writeFileSync(path, `${lines.join('\n')}\n`);
	return path;
}

export async function sandbox(root: string, latencyMs: number): Promise<Server> {
	const child: ChildProcess = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'sandbox', '--port', '0', '--quota', '1000000', ...(latencyMs ? ['--latency', String(latencyMs)] : [])], {stdio: ['ignore', 'pipe', 'ignore']});
	let out = '';
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (d: Buffer) => {
			out += d.toString();
			if (out.includes('TILEDESK_PROJECT_ID=')) resolve();
		});
		child.once('exit', () => reject(new Error('sandbox exited')));
	});
	const env = Object.fromEntries([...out.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
	return {
		url: env['TILEDESK_URL']!,
		email: env['TILEDESK_EMAIL']!,
		password: env['TILEDESK_PASSWORD']!,
		projectId: env['TILEDESK_PROJECT_ID']!,
		close: async () => {
			child.kill('SIGTERM');
			await new Promise((r) => child.once('exit', r));
		},
	};
}

