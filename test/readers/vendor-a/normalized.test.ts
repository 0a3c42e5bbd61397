/** Each vendor-a fixture through the shared normalizer: roles and instants as imported, and no blocking errors. */
import {readFileSync, readdirSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {Normalizer} from '../../../source/core/normalize/index.js';
import type {Conversation} from '../../../source/core/model/transcript.js';
import type {Finding} from '../../../source/core/model/findings.js';
import type {FormatReader, ReadOptions} from '../../../source/core/readers/types.js';
import {rasaReader} from '../../../source/core/readers/vendor-a/rasa.js';
import {slackReader} from '../../../source/core/readers/vendor-a/slack.js';
import {telegramReader} from '../../../source/core/readers/vendor-a/telegram.js';
import {whatsappReader} from '../../../source/core/readers/vendor-a/whatsapp.js';
import {fixture, tempDir, writeZip} from './helpers.js';

const NOW = Date.UTC(2025, 0, 1);

async function normalize(reader: FormatReader, path: string, options: ReadOptions = {}): Promise<{conversations: Conversation[]; findings: Finding[]}> {
	const normalizer = new Normalizer({timezone: options.timezone ?? 'Europe/Rome', now: NOW});
	const conversations: Conversation[] = [];
	const findings: Finding[] = [];
	for await (const item of reader.read(path, options)) {
		if (item.kind === 'finding') {
			findings.push(item.finding);
			continue;
		}
		const result = normalizer.add(item.draft);
		findings.push(...result.findings);
		if (result.conversation) conversations.push(result.conversation);
	}
	return {conversations, findings};
}

const errors = (findings: Finding[]) => findings.filter((f) => f.severity === 'error');

let SLACK_ZIP = '';
beforeAll(() => {
	const root = fixture('slack/export');
	const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
	SLACK_ZIP = writeZip(join(tempDir(), 'slack.zip'), Object.fromEntries(walk(root).map((f) => [relative(root, f), readFileSync(f)])));
});

describe('vendor-a fixtures through the normalizer', () => {
	it('WhatsApp: wall-clock times read in the chosen zone, roles kept', async () => {
		const {conversations, findings} = await normalize(whatsappReader, fixture('whatsapp/WhatsApp Chat with Mario Rossi.txt'));
		expect(errors(findings)).toEqual([]);
		const c = conversations[0]!;
		expect(c.requester).toEqual({id: 'Mario Rossi', name: 'Mario Rossi'});
		expect(c.messages.map((m) => m.role)).toEqual(['system', 'end-user', 'agent', 'end-user', 'agent', 'end-user']);
		expect(c.messages[1]!.timestamp).toBe(Date.UTC(2024, 2, 15, 8, 5)); // 09:05 in Rome (UTC+1)
		expect(c.messages[1]!.timestampOrigin).toBe('format');
		const ny = await normalize(whatsappReader, fixture('whatsapp/WhatsApp Chat with Mario Rossi.txt'), {timezone: 'America/New_York'});
		expect(ny.conversations[0]!.messages[1]!.timestamp).toBe(Date.UTC(2024, 2, 15, 13, 5)); // EDT, UTC-4
	});

	it('WhatsApp: every other fixture normalizes without errors', async () => {
		for (const name of ['ios/_chat.txt', 'us-spanish-ampm.txt', 'group-two-digit-year.txt', 'year-first.txt']) {
			const {conversations, findings} = await normalize(whatsappReader, fixture(`whatsapp/${name}`));
			expect(errors(findings), name).toEqual([]);
			expect(conversations, name).toHaveLength(1);
		}
		const group = await normalize(whatsappReader, fixture('whatsapp/group-two-digit-year.txt'));
		expect(group.findings.some((f) => f.code === 'timestamp-out-of-order')).toBe(true); // the 13:37 p.m. line
	});

	it('Rasa: exact float-second instants, bot/end-user roles, no errors', async () => {
		const {conversations, findings} = await normalize(rasaReader, fixture('rasa/tracker-moodbot.json'));
		expect(errors(findings)).toEqual([]);
		const c = conversations[0]!;
		expect(c.requester.id).toBe('moodbot-user-7');
		expect(c.messages[0]).toMatchObject({role: 'end-user', timestamp: 1710493726200, timestampOrigin: 'format'});
		expect(c.messages.filter((m) => m.role === 'bot')).toHaveLength(4);
		for (const name of ['tracker-with-bot.json', 'trackers-list.json', 'events-array.json', 'bare-events.json', 'events.sql']) {
			expect(errors((await normalize(rasaReader, fixture(`rasa/${name}`))).findings), name).toEqual([]);
		}
	});

	it('Telegram: date_unixtime instants, old `date` in the chosen zone, no errors', async () => {
		const {conversations, findings} = await normalize(telegramReader, fixture('telegram/full-export.json'));
		expect(errors(findings)).toEqual([]);
		expect(conversations.map((c) => c.messages.map((m) => m.role).join(','))).toEqual(['end-user,agent', 'system,end-user,agent,end-user', 'end-user,bot', 'end-user']);
		expect(conversations[0]!.messages[0]!.timestamp).toBe(1710500000000);
		const old = await normalize(telegramReader, fixture('telegram/old-export.json'));
		expect(old.conversations[0]!.messages[0]!.timestamp).toBe(Date.UTC(2019, 4, 2, 16, 30)); // 18:30 CEST
		for (const name of ['result.json', 'minimal.json']) {
			expect(errors((await normalize(telegramReader, fixture(`telegram/${name}`))).findings), name).toEqual([]);
		}
	});

	it('Slack: ts instants, requester e-mail, no errors in either grouping', async () => {
		const channel = await normalize(slackReader, SLACK_ZIP, {agents: ['ann']});
		expect(errors(channel.findings)).toEqual([]);
		const general = channel.conversations.find((c) => c.id === 'slack:general')!;
		expect(general.requester).toEqual({id: 'U02CUST', name: 'Carl Customer', email: 'carl@example.com'});
		expect(general.messages[1]!.timestamp).toBe(1710493500000);
		const thread = await normalize(slackReader, SLACK_ZIP, {slackGrouping: 'thread'});
		expect(errors(thread.findings)).toEqual([]);
		expect(thread.conversations).toHaveLength(6);
	});
});
