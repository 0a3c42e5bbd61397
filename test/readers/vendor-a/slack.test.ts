import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {slackReader} from '../../../source/core/readers/vendor-a/slack.js';
import {slackTsToMs, unwrapSlackMarkup} from '../../../source/core/readers/vendor-a/slack-markup.js';
import {telegramReader} from '../../../source/core/readers/vendor-a/telegram.js';
import {whatsappReader} from '../../../source/core/readers/vendor-a/whatsapp.js';
import {codes, collect, fixture, probeOf, tempDir, writeZip} from './helpers.js';

const EXPORT = fixture('slack/export');
let ZIP = '';

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

beforeAll(() => {
	const entries: Record<string, Buffer> = {};
	for (const file of filesUnder(EXPORT)) entries[relative(EXPORT, file)] = readFileSync(file);
	ZIP = writeZip(join(tempDir(), 'Acme Slack export Mar 15 2024.zip'), entries);
});

describe('Slack markup', () => {
	const names = (id: string) => ({U1: 'ann'})[id];
	it('resolves mentions, channels, broadcasts, links and entities', () => {
		expect(unwrapSlackMarkup('hi <@U1> and <@U9|bob>', names)).toBe('hi @ann and @bob');
		expect(unwrapSlackMarkup('<#C1|general> <!here> <!channel>', names)).toBe('#general @here @channel');
		expect(unwrapSlackMarkup('<https://x.test/a|docs> <https://x.test> <mailto:a@b.c|a@b.c>', names)).toBe('docs (https://x.test/a) https://x.test a@b.c');
		expect(unwrapSlackMarkup('a &amp;lt; &lt;b&gt;', names)).toBe('a &lt; <b>');
	});
	it('reads ts without float error', () => {
		expect(slackTsToMs('1452845865.000008')).toBe(1452845865000);
		expect(slackTsToMs('1710493560.999900')).toBe(1710493560999);
		expect(slackTsToMs('nope')).toBeUndefined();
	});
});

describe('Slack export: one conversation per channel', () => {
	it('orders channels as channels.json and maps roles, names, files, bots and notices', async () => {
		const {drafts, findings} = await collect(slackReader, ZIP, {agents: ['ann']});
		expect(drafts.map((d) => d.id)).toEqual(['slack:support', 'slack:general']);
		const general = drafts[1]!;
		expect(general.subject).toBe('#general');
		expect(general.requester).toEqual({id: 'U02CUST', name: 'Carl Customer', email: 'carl@example.com'});
		expect(general.messages.map((m) => [m.role, m.senderId, m.senderName])).toEqual([
			['system', 'system', undefined],
			['end-user', 'U02CUST', 'Carl Customer'],
			['agent', 'U01AGENT', 'ann'],
			['bot', 'B01', 'deploybot'],
			['end-user', 'U04DORA', 'dora'],
			['end-user', 'U02CUST', 'Carl Customer'],
			['agent', 'U01AGENT', 'ann'],
			['bot', 'U03BOT', 'Deploy Bot'],
		]);
		const text = general.messages.map((m) => m.text);
		expect(text[0]).toBe('@Carl Customer has joined the channel');
		expect(text[1]).toBe('Hi @ann, my build fails: build 42 (https://ci.example.com/b/42)');
		expect(text[2]).toBe('Looking & checking <now>');
		expect(text[3]).toBe('Deploy #7 finished');
		expect(text[4]).toBe('@here lunch? see https://acme.example.com');
		expect(text[5]).toBe('Thanks, fixed! Mail me at carl@example.com');
		expect(text[6]).toBe('Moving to #support');
		expect(general.messages[2]!.attachments).toEqual([{name: 'log.txt', url: 'https://files.slack.com/files-pri/T1-F01/log.txt', mimeType: 'text/plain', size: 1234}]);
		expect(general.messages[6]!.attachments).toBeUndefined();
		expect(general.messages[1]).toMatchObject({sourceId: '1710493500.000100', timestamp: {epochMs: 1710493500000}});
		expect(general.messages[5]!.location).toEqual({file: ZIP, path: 'Acme Slack export Mar 15 2024.zip:general/2024-03-16.json $[0]'});
		expect(codes(findings)).not.toContain('role-assumed');
	});

	it('without --agents everyone human is an end-user, and says so', async () => {
		const {drafts, findings} = await collect(slackReader, ZIP);
		expect(drafts[0]!.messages.map((m) => m.role)).toEqual(['end-user', 'end-user']);
		expect(findings.find((f) => f.code === 'role-assumed')).toMatchObject({severity: 'info'});
	});
});

describe('Slack export: one conversation per thread', () => {
	it('builds slack:<channel>:<thread_ts> threads across day files and skips notices outside threads', async () => {
		const {drafts, findings} = await collect(slackReader, ZIP, {slackGrouping: 'thread', agents: ['U01AGENT']});
		expect(drafts.map((d) => [d.id, d.messages.length])).toEqual([
			['slack:support:1710490000.000001', 2],
			['slack:general:1710493500.000100', 3],
			['slack:general:1710493600.000300', 1],
			['slack:general:1710493700.000400', 1],
			['slack:general:1710580100.000002', 1],
			['slack:general:1710580200.000003', 1],
		]);
		const thread = drafts[1]!;
		expect(thread.subject).toBe('#general: Hi @ann, my build fails: build 42 (https://ci.example.com/b/42)');
		expect(thread.messages.map((m) => m.role)).toEqual(['end-user', 'agent', 'end-user']);
		expect(findings.find((f) => f.code === 'skipped-record')!.message).toContain('1 channel notice(s)');
	});
});

describe('Slack: lone day files, broken archives, detection', () => {
	it('reads a single day file with ../users.json', async () => {
		const path = fixture('slack/export/general/2024-03-15.json');
		const {drafts} = await collect(slackReader, path);
		expect(drafts[0]!.id).toBe('slack:general');
		expect(drafts[0]!.messages[1]!.text).toContain('@ann');
		expect(drafts[0]!.messages[1]!.location).toEqual({file: path, path: '$[1]'});
	});

	it('a ZIP without day files is refused, a broken day file is reported with its line', async () => {
		const dir = tempDir();
		const notSlack = await collect(slackReader, writeZip(join(dir, 'x.zip'), {'readme.txt': 'hi'}));
		expect(notSlack.findings).toHaveLength(1);
		expect(notSlack.findings[0]).toMatchObject({severity: 'error', code: 'unknown-format'});
		expect(notSlack.findings[0]!.message).toContain('not a Slack workspace export');
		const broken = writeZip(join(dir, 'broken.zip'), {
			'channels.json': '[{"name":"general"}]',
			'general/2024-03-15.json': '[{"type":"message","ts":"1.0","text":"a"},\n{"type":"message",',
			'general/2024-03-16.json': '[{"type":"message","ts":"1710580000.000001","user":"U1","text":"still here"}]',
		});
		const {drafts, findings} = await collect(slackReader, broken);
		expect(findings.find((f) => f.code === 'unparsable')).toMatchObject({severity: 'error', location: {file: broken, line: 2, path: 'broken.zip:general/2024-03-15.json'}});
		expect(findings.find((f) => f.code === 'unreadable-file')!.message).toContain('no users.json');
		expect(drafts[0]!.messages.map((m) => m.text)).toEqual(['still here']);
	});

	it('detects the export and day files, and not WhatsApp/Telegram files', async () => {
		expect(slackReader.detect(await probeOf(ZIP)).confidence).toBeGreaterThanOrEqual(0.9);
		expect(slackReader.detect(await probeOf(fixture('slack/export/general/2024-03-16.json'))).confidence).toBeGreaterThanOrEqual(0.9);
		expect(whatsappReader.detect(await probeOf(ZIP)).confidence).toBe(0);
		expect(telegramReader.detect(await probeOf(ZIP)).confidence).toBe(0);
		expect(slackReader.detect(await probeOf(fixture('telegram/result.json'))).confidence).toBe(0);
		expect(slackReader.detect(await probeOf(fixture('rasa/events-array.json'))).confidence).toBe(0);
	});
});
