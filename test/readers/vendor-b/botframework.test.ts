import {describe, expect, it} from 'vitest';
import {botframeworkReader as reader} from '../../../source/core/readers/vendor-b/botframework.js';
import {collect, errors, fixture, normalize, probeOf, write} from './helpers.js';

const RICH = fixture('botframework/rich-cards.transcript');
const TWO = fixture('botframework/two-conversations.transcript');

describe('Bot Framework transcripts', () => {
	it('imports message activities only, counts the rest, infers the missing user role from the bot', async () => {
		const {drafts, findings} = await collect(reader, RICH);
		expect(drafts).toHaveLength(1);
		const d = drafts[0]!;
		expect(d.id).toBe('botframework:6a2c7b50-e5a6-11e9-a5f8-9d3f|livechat');
		expect(d.attributes).toEqual({botframeworkChannel: 'emulator'});
		expect(d.messages.map((m) => [m.role, m.senderId, m.text])).toEqual([
			['bot', 'c3b4c1f0-e5a6-11e9-9b0a-bot', 'Welcome! Which card would you like to see?\n[Hero card] [Image]'],
			['end-user', 'default-user', 'hero'],
			['bot', 'c3b4c1f0-e5a6-11e9-9b0a-bot', 'BotFramework Hero Card\nMicrosoft Bot Framework\nBuild and connect intelligent bots.\n[Get Started]'],
			['end-user', 'default-user', 'image'],
			['bot', 'c3b4c1f0-e5a6-11e9-9b0a-bot', 'Here is the image you asked for.'],
		]);
		expect(findings.map((f) => [f.code, f.message])).toEqual([
			['skipped-record', '4 non-message activities skipped ((no type): 1, conversationUpdate: 1, trace: 1, typing: 1).'],
			['role-assumed', 'Messages without from.role: "User" → end-user (inferred from the other participants; use --bots/--agents if wrong).'],
		]);
	});

	it('keeps data-URI attachments as name, type and size only, never inlined; links stay links', async () => {
		const {drafts} = await collect(reader, RICH);
		const m = drafts[0]!.messages[4]!;
		expect(m.attachments).toEqual([
			{name: 'architecture-resize.png', mimeType: 'image/png', size: 70},
			{name: 'manual.pdf', url: 'https://contoso.example.com/files/manual.pdf', mimeType: 'application/pdf'},
		]);
		expect(JSON.stringify(m)).not.toContain('base64');
	});

	it('groups interleaved activities by conversation.id in first-appearance order, file order inside', async () => {
		const {drafts, findings} = await collect(reader, TWO);
		expect(drafts.map((d) => [d.id, d.messages.map((m) => m.sourceId).join(',')])).toEqual([
			['botframework:conv-A', 'a1,a2,a3,a4'],
			['botframework:conv-B', 'b1,b2'],
		]);
		expect(drafts[1]!.messages.map((m) => m.role)).toEqual(['end-user', 'bot']);
		expect(findings.find((f) => f.conversationId === 'botframework:conv-B' && f.code === 'role-assumed')!.message).toContain('"Eli" → end-user, "Helpdesk" → bot');
		// The human who took over after the handoff has no role: inferred as the bot unless named with --agents.
		expect(drafts[0]!.messages[2]).toMatchObject({senderName: 'Maria', role: 'bot', timestamp: '2024-02-01T11:02:00+01:00'});
		const named = await collect(reader, TWO, {agents: ['Maria']});
		expect(named.drafts[0]!.messages[2]!.role).toBe('agent');
		expect(named.findings.some((f) => f.conversationId === 'botframework:conv-A' && f.code === 'role-assumed')).toBe(false);
	});

	it('timestamps: UTC `timestamp`, else `localTimestamp` with its offset; no blocking errors', async () => {
		const {conversations, findings} = await normalize(reader, TWO);
		expect(errors(findings)).toEqual([]);
		expect(conversations[0]!.messages.map((m) => m.timestamp)).toEqual([Date.parse('2024-02-01T10:00:00Z'), Date.parse('2024-02-01T10:00:01Z'), Date.parse('2024-02-01T10:02:00Z'), Date.parse('2024-02-01T10:03:00Z')]);
		expect(conversations[0]!.requester).toEqual({id: 'u-100', name: 'Dana'});
	});

	it('a truncated transcript is unparsable with a location; activities without conversation use the file name', async () => {
		const truncated = await collect(reader, fixture('botframework/truncated.transcript'));
		expect(truncated.findings[0]).toMatchObject({severity: 'error', code: 'unparsable', location: {line: 42}});
		const path = write('chat-42.transcript', '[{"type": "message", "text": "hi", "from": {"id": "u", "role": "user"}, "recipient": {"id": "b"}}]');
		const {drafts, findings} = await collect(reader, path);
		expect(drafts[0]!.id).toBe('botframework:chat-42');
		expect(findings[0]).toMatchObject({severity: 'info', code: 'missing-conversation-id'});
	});

	it('detects arrays and {transcript: [...]}; the extension alone is worth 0.3', async () => {
		expect(reader.detect(await probeOf(RICH)).confidence).toBe(0.95);
		expect(reader.detect(await probeOf(TWO)).confidence).toBe(0.95);
		expect(reader.detect(await probeOf(write('x.transcript', 'not json'))).confidence).toBe(0.3);
		expect(reader.detect(await probeOf(write('x.json', '[{"type": "message", "text": "hi"}]'))).confidence).toBe(0);
	});
});
