import {describe, expect, it} from 'vitest';
import {freshdeskReader as reader} from '../../../source/core/readers/vendor-b/freshdesk.js';
import {collect, errors, fixture, normalize, probeOf, write} from './helpers.js';

describe('Freshdesk tickets', () => {
	it('web chat: automated greeting → bot, incoming → end-user, agents, structured body, attachments without URL', async () => {
		const {drafts, findings} = await collect(reader, fixture('freshdesk/webchat.json'));
		const d = drafts[0]!;
		expect(d).toMatchObject({id: 'freshdesk:1043', subject: 'Chat with Irene Costa', requester: {id: '77000000911', name: 'Irene Costa', email: 'irene.costa@example.pt'}, attributes: {freshdeskStatus: 5, freshdeskSource: 15}});
		expect(d.messages.map((m) => [m.role, m.senderId, m.text])).toEqual([
			['bot', 'freshdesk-bot', 'Hi! How can we help you today?'],
			['end-user', '77000000911', 'My discount code does not work'],
			['agent', '77000000101', 'Let me check the code SPRING24 for you.'],
			['agent', '77000000101', 'I have re-activated it, please try again.'],
			['end-user', '77000000911', 'It works, thank you!'],
		]);
		expect(d.messages[1]!.attachments).toEqual([{name: 'error.png', mimeType: 'image/png', size: 51234}]);
		expect(findings).toMatchObject([{code: 'private-note', conversationId: 'freshdesk:1043'}]);
	});

	it('the description is the first message; body_text preferred, HTML otherwise; names from "Name <address>"', async () => {
		const path = fixture('freshdesk/tickets.json');
		const {drafts} = await collect(reader, path, {privateNotes: 'import'});
		const d = drafts[0]!;
		expect(d.requester).toEqual({id: '77000002001', name: 'Omar Haddad', email: 'omar@example.com'});
		expect(d.messages.map((m) => [m.role, m.senderName, m.private ?? false, m.text])).toEqual([
			['end-user', 'Omar Haddad', false, 'Hello, my laptop (serial LX-5512) does not turn on since yesterday. Regards, Omar'],
			['agent', 'Acme Support', false, 'Hi Omar, please hold the power button for 30 seconds.'],
			['end-user', 'Omar Haddad', false, 'Tried it, nothing happens.\n> Hi Omar, please hold the power button'],
			['agent', 'Acme Support', true, 'RMA #7781 created.'],
			['agent', 'Acme Support', false, 'We will replace it. Label attached.'],
		]);
		expect(d.messages[0]).toMatchObject({timestamp: '2024-03-01T08:00:00Z', location: {path: '$[0].description', line: 5}, attachments: [{name: 'photo.jpg', url: 'https://acme.freshdesk.com/helpdesk/attachments/99001', mimeType: 'image/jpeg', size: 204800}]});
		expect(d.messages[4]!.attachments).toEqual([{name: 'rma-label.pdf', url: 'https://acme.freshdesk.com/helpdesk/attachments/99002', mimeType: 'application/pdf', size: 30100}]);
	});

	it('normalizes with exact instants and no blocking errors', async () => {
		for (const name of ['webchat.json', 'tickets.json']) {
			const {conversations, findings} = await normalize(reader, fixture(`freshdesk/${name}`));
			expect(errors(findings), name).toEqual([]);
			expect(conversations[0]!.messages.every((m) => m.timestampOrigin === 'iso-offset'), name).toBe(true);
		}
	});

	it('a truncated file is unparsable with a location; non-tickets are skipped with a warning', async () => {
		const truncated = await collect(reader, fixture('freshdesk/truncated.json'));
		expect(truncated.findings.at(-1)).toMatchObject({severity: 'error', code: 'unparsable', location: {line: 19}});
		const odd = await collect(reader, write('o.json', '[{"name": "x"}]'));
		expect(odd.findings).toMatchObject([{severity: 'warning', code: 'invalid-record'}]);
	});

	it('detects ticket + conversations by incoming/body_text', async () => {
		for (const name of ['webchat.json', 'tickets.json']) expect(reader.detect(await probeOf(fixture(`freshdesk/${name}`))).confidence).toBe(0.9);
		expect(reader.detect(await probeOf(write('c.json', '{"conversations": [{"text": "x"}]}'))).confidence).toBe(0);
	});
});
