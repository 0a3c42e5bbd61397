import {describe, expect, it} from 'vitest';
import {zendeskChatReader as reader} from '../../../source/core/readers/vendor-b/zendesk-chat.js';
import {collect, errors, fixture, normalize, probeOf, write} from './helpers.js';

const CHATS = fixture('zendesk-chat/chats.json');

describe('Zendesk Chat chats', () => {
	it('maps history by nick and type: visitor, trigger bot, agent, system lines, file uploads, rating comment', async () => {
		const {drafts, findings} = await collect(reader, CHATS);
		expect(drafts.map((d) => d.id)).toEqual(['zendesk-chat:2104.10414779.SVhDCJ9flq79a', 'zendesk-chat:2104.10414780.OffLn3x', 'zendesk-chat:2104.10414781.Sdk']);
		const chat = drafts[0]!;
		expect(chat.requester).toEqual({id: '10414779.c4GNSGnS4ZmnQ', name: 'Visitor 46217'});
		expect(chat.attributes).toEqual({zendeskTicketId: '88121', zendeskDepartment: 'Sales', zendeskTags: ['pricing'], zendeskRating: 'good'});
		expect(chat.messages.map((m) => [m.role, m.senderId, m.text])).toEqual([
			['system', 'system', 'Visitor 46217 joined the chat'],
			['end-user', '10414779.c4GNSGnS4ZmnQ', 'Hi, do you have a discount for yearly plans?'],
			['bot', 'agent:trigger', 'Thanks for reaching out! An agent will be with you shortly.'],
			['system', 'system', 'Rita Almeida joined the chat'],
			['agent', 'agent:360001112223', 'Hello! Yes, yearly plans are 20% off.'],
			['end-user', '10414779.c4GNSGnS4ZmnQ', ''],
			['end-user', '10414779.c4GNSGnS4ZmnQ', 'Can you match this quote?'],
			['system', 'system', 'Visitor 46217 rated the chat: good'],
			['end-user', '10414779.c4GNSGnS4ZmnQ', 'Very quick, thank you'],
			['system', 'agent:system', 'Chat transferred to Billing'],
			['system', 'system', 'Visitor 46217 left the chat'],
		]);
		expect(chat.messages[4]).toMatchObject({senderName: 'Rita Almeida', sourceId: '1710770600002', timestamp: '2024-03-18T14:03:20Z', location: {file: CHATS, line: 20, column: 9, path: '$.chats[0].history[4]'}});
		expect(chat.messages[5]!.attachments).toEqual([{name: 'quote.pdf', url: 'https://v2.zopim.com/attachments/2104/quote.pdf', mimeType: 'application/pdf', size: 20431}]);
		expect(findings.filter((f) => f.code === 'skipped-record').map((f) => f.message)).toEqual([
			'1 history item(s) that are not messages skipped (chat.request.rating: 1).',
			'1 history item(s) that are not messages skipped (chat.event: 1).',
		]);
	});

	it('an offline message is one end-user message at the chat timestamp', async () => {
		const {drafts} = await collect(reader, CHATS);
		expect(drafts[1]).toMatchObject({
			subject: 'Offline message',
			requester: {id: '10414780.Zz9', name: 'John Miller', email: 'john.miller@example.com'},
			messages: [{role: 'end-user', senderId: '10414780.Zz9', senderName: 'John Miller', text: 'Hi there! Please call me back about my order.', timestamp: '2024-03-18T22:41:12Z'}],
		});
	});

	it('REST ISO strings and SDK epoch milliseconds both give exact instants', async () => {
		const {conversations, findings} = await normalize(reader, CHATS);
		expect(errors(findings)).toEqual([]);
		expect(conversations[0]!.messages[1]).toMatchObject({timestamp: Date.parse('2024-03-18T14:02:15Z'), timestampOrigin: 'iso-offset'});
		expect(conversations[2]!.messages.map((m) => [m.timestamp, m.timestampOrigin])).toEqual([
			[1710810005000, 'epoch-ms'],
			[1710810042000, 'epoch-ms'],
		]);
	});

	it('reads JSON lines, and --agents/--bots override nick roles', async () => {
		const {drafts} = await collect(reader, fixture('zendesk-chat/chats.jsonl'), {bots: ['Paul']});
		expect(drafts.map((d) => [d.id, d.messages.map((m) => m.role).join(',')])).toEqual([
			['zendesk-chat:2104.555.A', 'end-user,bot'],
			['zendesk-chat:2104.556.B', 'end-user'],
		]);
	});

	it('a truncated file is unparsable with a location; a chat without history is an error for that chat', async () => {
		const truncated = await collect(reader, fixture('zendesk-chat/truncated.json'));
		expect(truncated.findings).toMatchObject([{severity: 'error', code: 'unparsable', location: {line: 1}}]);
		const {drafts, findings} = await collect(reader, write('c.json', '[{"id": "z1", "type": "chat", "visitor": {"id": "v"}}]'));
		expect(drafts).toEqual([]);
		expect(findings).toMatchObject([{severity: 'error', code: 'invalid-record', conversationId: 'zendesk-chat:z1'}]);
	});

	it('detects chats with history, offline messages and chat pages', async () => {
		for (const name of ['chats.json', 'chats.jsonl', 'truncated.json']) {
			expect(reader.detect(await probeOf(fixture(`zendesk-chat/${name}`))).confidence, name).toBeGreaterThanOrEqual(0.8);
		}
		expect(reader.detect(await probeOf(write('h.json', '{"history": [1]}'))).confidence).toBe(0);
	});
});
