/**
 * `tiledesk-import preview` on each vendor-b fixture, run in-process through the command module (the same code the
 * built CLI runs): counts, participants by role, exit codes, and clear reasons for broken or refused files.
 */
import {Writable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {run} from '../../../source/commands/preview.js';


async function preview(...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	let stdout = '';
	let stderr = '';
	const sink = (append: (s: string) => void) =>
		new Writable({
			write(chunk, _encoding, done) {
				append(String(chunk));
				done();
			},
		});
	const code = await run([...args, '--timezone', 'UTC'], {stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env: {}, cwd: process.cwd()});
	return {code, stdout, stderr};
}

describe('preview of the vendor-b fixtures', () => {
	it.each([
		// file, format label, conversations, messages, participants (end-user · agent · bot · system)
		['zendesk-support/tickets-with-comments.json', 'Zendesk Support tickets', 3, 9, [3, 3, 0, 1]],
		['zendesk-support/export.jsonl', 'Zendesk Support tickets', 3, 5, [3, 1, 0, 0]],
		['zendesk-chat/chats.json', 'Zendesk Chat (Zopim) chats', 3, 14, [3, 2, 1, 2]],
		['intercom/conversation.json', 'Intercom conversations', 1, 6, [1, 1, 1, 0]],
		['botframework/two-conversations.transcript', 'Bot Framework transcript', 2, 6, [2, 0, 2, 0]],
		['freshdesk/tickets.json', 'Freshdesk tickets', 2, 6, [2, 2, 0, 0]],
		['tidio/messages.csv', 'Tidio messages export (CSV)', 3, 11, [3, 1, 1, 0]],
		['gorgias/conversations_gorgias.csv', 'Gorgias tickets + messages (CSV)', 2, 6, [2, 2, 0, 0]],
		['twcs/twcs.csv', 'Twitter customer support dataset (twcs.csv)', 3, 12, [3, 2, 0, 0]],
	] as const)('%s: %s, %i conversations, %i messages', async (file, label, conversations, messages, [user, agent, bot, system]) => {
		const r = await preview(`test/fixtures/${file}`);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain(`  format         ${label} (`);
		expect(r.stdout).toContain(`conversations  ${conversations}\n`);
		expect(r.stdout).toContain(`messages       ${messages}\n`);
		expect(r.stdout).toContain(`participants   end-user ${user} · agent ${agent} · bot ${bot} · system ${system}\n`);
	});

	it('--private-notes import adds the notes to the counts; the default says how many were skipped', async () => {
		const skipped = await preview('test/fixtures/zendesk-support/tickets-with-comments.json');
		expect(skipped.stdout).toMatch(/INFO {4}private-note ×2/);
		const imported = await preview('test/fixtures/zendesk-support/tickets-with-comments.json', '--private-notes', 'import');
		expect(imported.stdout).toContain('messages       11\n');
	});

	it('--agents names the human who took over a bot conversation', async () => {
		const r = await preview('test/fixtures/botframework/two-conversations.transcript', '--agents', 'Maria');
		expect(r.stdout).toContain('participants   end-user 2 · agent 1 · bot 1 · system 0\n');
	});

	it('--json carries the prefixed conversation ids and private flags', async () => {
		const r = await preview('test/fixtures/intercom/conversation.json', '--json', '--private-notes', 'import');
		const out = JSON.parse(r.stdout) as {format: string; conversations: {id: string; messages: {role: string; private?: boolean}[]}[]};
		expect(out.format).toBe('intercom');
		expect(out.conversations[0]!.id).toBe('intercom:1911149811');
		expect(out.conversations[0]!.messages.filter((m) => m.private).map((m) => m.role)).toEqual(['agent']);
	});

	it('a broken file exits 1 naming file and line; a truncated one says it is truncated', async () => {
		const line = await preview('test/fixtures/zendesk-support/broken-line.jsonl');
		expect(line.code).toBe(1);
		expect(line.stdout).toContain('ERROR   unparsable ×1');
		expect(line.stdout).toMatch(/test\/fixtures\/zendesk-support\/broken-line\.jsonl:2:\d+: Line 2 is not valid JSON/);
		const cut = await preview('test/fixtures/intercom/truncated.json');
		expect(cut.code).toBe(1);
		expect(cut.stdout).toMatch(/intercom\/truncated\.json:35:\d+: .*truncated/);
	});

	it('a recognised non-transcript exits 2 with the reason on one line', async () => {
		const r = await preview('test/fixtures/dialogflow/agent/agent.json');
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr).toMatch(/^error: test\/fixtures\/dialogflow\/agent\/agent\.json: This is a Dialogflow agent export .*\n$/);
	});
});
