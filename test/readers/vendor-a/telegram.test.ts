import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {telegramReader} from '../../../source/core/readers/vendor-a/telegram.js';
import {flattenTelegramText} from '../../../source/core/readers/vendor-a/telegram-text.js';
import {rasaReader} from '../../../source/core/readers/vendor-a/rasa.js';
import {codes, collect, fixture, probeOf, tempDir, writeZip} from './helpers.js';

const SINGLE = fixture('telegram/result.json');
const FULL = fixture('telegram/full-export.json');

describe('Telegram text', () => {
	it('flattens strings and entity arrays, keeping link targets', () => {
		expect(flattenTelegramText('plain')).toBe('plain');
		expect(flattenTelegramText(['a ', {type: 'bold', text: 'b'}, {type: 'text_link', text: 'here', href: 'https://x.test'}])).toBe('a bhere (https://x.test)');
		expect(flattenTelegramText([{type: 'link', text: 'https://x.test', href: 'https://x.test'}])).toBe('https://x.test');
		expect(flattenTelegramText(undefined)).toBe('');
	});
});

describe('Telegram single-chat export', () => {
	it('maps messages, roles (exporter guessed as agent), service lines, attachments and date_unixtime', async () => {
		const {drafts, findings} = await collect(telegramReader, SINGLE);
		expect(drafts).toHaveLength(1);
		const d = drafts[0]!;
		expect(d.id).toBe('telegram:5012345678');
		expect(d.subject).toBe('Telegram chat with Giulia Verdi');
		expect(d.requester).toEqual({id: 'user5012345678', name: 'Giulia Verdi'});
		expect(d.messages.map((m) => [m.sourceId, m.role, m.senderId])).toEqual([
			['100', 'system', 'system'],
			['101', 'end-user', 'user5012345678'],
			['102', 'agent', 'user42'],
			['103', 'end-user', 'user5012345678'],
			['104', 'agent', 'user42'],
			['105', 'bot', 'user5012345678'],
			['107', 'end-user', 'user5012345678'],
		]);
		expect(d.messages[0]!.text).toBe('Acme Support: phone call (35 s)');
		expect(d.messages[1]).toMatchObject({text: 'Ciao! Il mio ordine è in ritardo', senderName: 'Giulia Verdi', timestamp: {epochMs: 1710493500000}});
		expect(d.messages[2]!.text).toBe('Ciao Giulia, ci scusiamo. Traccia qui: tracking (https://track.example.com/A1) o https://acme.example.com');
		expect(d.messages[3]).toMatchObject({text: '', attachments: [{name: 'photo_1@15-03-2024_09-47-00.jpg', mimeType: 'image/jpeg', size: 48213}]});
		expect(d.messages[4]!.attachments).toEqual([{name: 'invoice.pdf', mimeType: 'application/pdf', size: 20480}]);
		expect(d.messages[6]!.text).toBe('Grazie @acme_support');
		expect(d.messages[2]!.location).toEqual({file: SINGLE, path: '$.messages[2]'});
		expect(findings.find((f) => f.code === 'role-assumed')!.message).toContain('"Acme Support"');
		expect(findings.find((f) => f.code === 'skipped-record')!.message).toMatch(/^1 message\(s\) of type "unsupported"/);
	});

	it('takes --agents by from_id or name, and --bots', async () => {
		const byId = await collect(telegramReader, SINGLE, {agents: ['5012345678']});
		expect(byId.drafts[0]!.messages[1]!.role).toBe('agent');
		expect(byId.drafts[0]!.messages[2]!.role).toBe('end-user');
		expect(codes(byId.findings)).not.toContain('role-assumed');
		const byName = await collect(telegramReader, SINGLE, {agents: ['giulia verdi'], bots: ['user42']});
		expect(byName.drafts[0]!.messages[1]!.role).toBe('agent');
		expect(byName.drafts[0]!.messages[2]!.role).toBe('bot');
	});

	it('falls back to `date` (zone-less local time) in old exports', async () => {
		const {drafts} = await collect(telegramReader, fixture('telegram/old-export.json'));
		expect(drafts[0]!.messages.map((m) => [m.timestamp, m.role])).toEqual([
			['2019-05-02T18:30:00', 'end-user'],
			['2019-05-02T18:31:10', 'agent'],
		]);
	});

	it('minimal exports without chat id get a name-derived id and a finding', async () => {
		const {drafts, findings} = await collect(telegramReader, fixture('telegram/minimal.json'));
		expect(drafts[0]!.id).toBe('telegram:minimal.json#0');
		expect(drafts[0]!.messages.map((m) => [m.senderId, m.role, m.text])).toEqual([
			['Anna', 'end-user', 'hi'],
			['Shop', 'end-user', 'hello Anna'],
		]);
		expect(codes(findings)).toContain('missing-conversation-id');
	});
});

describe('Telegram full export', () => {
	it('reads chats.list and left_chats.list with the exporter as agent', async () => {
		const {drafts, findings} = await collect(telegramReader, FULL);
		expect(drafts.map((d) => d.id)).toEqual(['telegram:777', 'telegram:1001', 'telegram:999', 'telegram:555']);
		const [personal, group, bot, left] = drafts;
		expect(personal!.messages.map((m) => m.role)).toEqual(['end-user', 'agent']);
		expect(personal!.requester).toEqual({id: 'user777', name: 'Luca Neri'});
		expect(group!.subject).toBe('Telegram: VIP Customers');
		expect(group!.messages.map((m) => m.role)).toEqual(['system', 'end-user', 'agent', 'end-user']);
		expect(group!.messages[0]!.text).toBe('Acme Support: create group "VIP Customers" Acme Support, Luca Neri, Sara Blu');
		expect(bot!.messages.map((m) => m.role)).toEqual(['end-user', 'bot']);
		expect(left!.location).toEqual({file: FULL, path: '$.left_chats.list[0]'});
		const assumed = findings.filter((f) => f.code === 'role-assumed');
		expect(assumed).toHaveLength(1);
		expect(assumed[0]!.message).toContain('"Acme Support" (user42)');
	});

	it('stops between chats when aborted', async () => {
		const controller = new AbortController();
		const ids: string[] = [];
		for await (const item of telegramReader.read(FULL, {}, controller.signal)) {
			if (item.kind !== 'conversation') continue;
			ids.push(item.draft.id!);
			controller.abort();
		}
		expect(ids).toEqual(['telegram:777']);
	});

	it('reads result.json inside a ZIP', async () => {
		const zip = writeZip(join(tempDir(), 'Telegram.zip'), {'DataExport_2024-03-17/result.json': readFileSync(FULL), 'DataExport_2024-03-17/export_results.html': '<html></html>'});
		const {drafts} = await collect(telegramReader, zip);
		expect(drafts).toHaveLength(4);
		expect(drafts[0]!.messages[1]!.location).toEqual({file: zip, path: 'Telegram.zip:DataExport_2024-03-17/result.json $.chats.list[0].messages[1]'});
		expect(telegramReader.detect(await probeOf(zip)).confidence).toBeGreaterThanOrEqual(0.9);
	});
});

describe('Telegram: broken files and detection', () => {
	it('a truncated export reports line and column', async () => {
		const path = fixture('telegram/truncated.json');
		const {drafts, findings} = await collect(telegramReader, path);
		expect(drafts).toEqual([]);
		expect(findings[0]).toMatchObject({severity: 'error', code: 'unparsable'});
		expect(findings[0]!.message).toMatch(/truncated\.json ends too early at line 44, column 4/);
		expect(findings[0]!.location).toEqual({file: path, line: 44, column: 4});
	});

	it('other JSON is refused clearly', async () => {
		const {findings} = await collect(telegramReader, fixture('rasa/tracker-moodbot.json'));
		expect(findings[0]).toMatchObject({severity: 'error', code: 'invalid-record'});
		expect(findings[0]!.message).toContain('not a Telegram export');
	});

	it('detects exports and not the other formats', async () => {
		for (const name of ['result.json', 'full-export.json', 'minimal.json', 'old-export.json']) {
			expect(telegramReader.detect(await probeOf(fixture(`telegram/${name}`))).confidence, name).toBeGreaterThanOrEqual(0.9);
			expect(rasaReader.detect(await probeOf(fixture(`telegram/${name}`))).confidence, name).toBe(0);
		}
		expect(telegramReader.detect(await probeOf(fixture('rasa/tracker-moodbot.json'))).confidence).toBe(0);
	});
});
