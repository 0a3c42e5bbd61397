// The built CLI (`npm test` builds first): exit codes, human errors, and the documented --json object.
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const cli = (...args: string[]) => {
	const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], {cwd: root, encoding: 'utf8', env: {...process.env, TZ: 'UTC'}});
	return {code: r.status, stdout: r.stdout, stderr: r.stderr};
};

describe('tiledesk-import preview', () => {
	it.each([
		['samples/support-chats.json', 12, 108],
		['samples/support-chats.jsonl', 8, 76],
		['samples/support-chats.csv', 8, 73],
		['samples/helpdesk-export.csv', 6, 54],
	])('summarises %s and exits 0', (file, conversations, messages) => {
		const r = cli('preview', file);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain(`conversations  ${conversations}\n`);
		expect(r.stdout).toContain(`messages       ${messages}\n`);
		expect(r.stdout).toMatch(/participants {3}end-user \d+ · agent 3 · bot 1 · system 1/);
	});

	it('prints the normalized model and findings as JSON', () => {
		const r = cli('preview', 'samples/support-chats.jsonl', '--json');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out).toMatchObject({schemaVersion: 1, format: 'jsonl', findings: []});
		expect(out.conversations).toHaveLength(8);
		const first = out.conversations[0];
		expect(first).toMatchObject({id: 'chat-1000', requester: {id: 'cust-chat-100', email: expect.stringContaining('@')}});
		expect(first.messages[0]).toMatchObject({senderId: 'cust-chat-100', senderName: expect.any(String), role: 'end-user', text: expect.any(String), timestamp: expect.any(Number)});
	});

	it('prints one conversation with local and UTC times', () => {
		const r = cli('preview', 'samples/helpdesk-export.csv', '--conversation', 'hd-1001', '--timezone', 'Europe/Rome');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('Conversation hd-1001');
		// Zone-less times were read in Europe/Rome, so the UTC column is one hour earlier in October after DST.
		expect(r.stdout).toMatch(/#0 2025-10-2\d \d\d:\d\d:\d\d \| 2025-10-2\dT\d\d:\d\d:\d\d\.000Z {2}end-user/);
	});

	it('passes reader options: --agents decides who is the business side of a WhatsApp chat', () => {
		const file = 'test/fixtures/whatsapp/WhatsApp Chat with Mario Rossi.txt';
		const guessed = JSON.parse(cli('preview', file, '--json', '--timezone', 'UTC').stdout);
		const chosen = JSON.parse(cli('preview', file, '--json', '--timezone', 'UTC', '--agents', 'Mario Rossi').stdout);
		const roleOf = (out: {conversations: {messages: {senderName?: string; senderId: string; role: string}[]}[]}, name: string) =>
			out.conversations[0]!.messages.find((m) => (m.senderName ?? m.senderId) === name)!.role;
		expect(roleOf(guessed, 'Mario Rossi')).toBe('end-user');
		expect(roleOf(chosen, 'Mario Rossi')).toBe('agent');
		expect(guessed.findings.map((f: {code: string}) => f.code)).toContain('role-assumed');
	});

	it('exits 1 with file:line:column for malformed JSON and file:line for a malformed CSV row', () => {
		const json = cli('preview', 'test/fixtures/native/broken.json');
		expect(json.code).toBe(1);
		expect(json.stdout).toContain('ERROR   unparsable ×1');
		expect(json.stdout).toMatch(/test\/fixtures\/native\/broken\.json:7:\d+: Invalid JSON/);
		const csv = cli('preview', 'test/fixtures/native/unquoted-comma.csv');
		expect(csv.code).toBe(1);
		expect(csv.stdout).toContain('test/fixtures/native/unquoted-comma.csv:5: Row has 6 fields but the header has 5');
	});

	it.each([
		[['preview'], /preview takes exactly one FILE/],
		[['preview', 'nope.json'], /nope\.json: no such file/],
		[['preview', 'samples', '--timezone', 'UTC'], /is a folder/],
		[['preview', 'samples/support-chats.csv', '--timezone', 'Mars/Base'], /unknown time zone "Mars\/Base"/],
		[['preview', 'samples/support-chats.csv', '--map', 'oops'], /--map expects field=column/],
		[['preview', 'samples/support-chats.csv', '--bogus'], /Unknown option '--bogus'/],
		[['frobnicate'], /unknown command "frobnicate"/],
		[['preview', 'samples/support-chats.csv', '--date-order', 'dym'], /--date-order expects dmy, mdy or ymd/],
	])('usage errors exit 2 with one line and a hint: %j', (args, pattern) => {
		const r = cli(...args);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(pattern);
		expect(r.stderr).toMatch(/^error: .*\nhint: .*\n$/);
		expect(r.stderr).not.toMatch(/\n\s+at /);
	});
});
