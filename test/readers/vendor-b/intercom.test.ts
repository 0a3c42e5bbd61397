import {describe, expect, it} from 'vitest';
import {intercomReader as reader} from '../../../source/core/readers/vendor-b/intercom.js';
import {collect, errors, fixture, normalize, probeOf, write} from './helpers.js';

const CONVERSATION = fixture('intercom/conversation.json');

describe('Intercom conversations', () => {
	it('source first, then parts with a body (incl. assignment and open), HTML stripped, author types mapped', async () => {
		const {drafts, findings} = await collect(reader, CONVERSATION);
		const d = drafts[0]!;
		expect(d).toMatchObject({id: 'intercom:1911149811', subject: 'Parcel not received', requester: {id: '65f0a1b2c3d4e5f6a7b8c9d0', name: 'Chloé Martin', email: 'chloe.martin@example.fr'}, attributes: {intercomState: 'closed', intercomTags: ['shipping']}});
		expect(d.messages.map((m) => [m.role, m.senderName, m.sourceId, m.text])).toEqual([
			['end-user', 'Chloé Martin', '403918330', 'Hi! My parcel was marked delivered but I don’t have it.\nOrder #55120 & tracking 1Z999AA1'],
			['bot', 'Swooshy', '22001', 'Thanks for your message! Our team usually replies in a few hours.'],
			['agent', 'Hugo Bernard', '22002', 'Hi Chloé, I am looking into it right now.'],
			['end-user', 'Chloé Martin', '22005', ''],
			['agent', 'Hugo Bernard', '22007', 'Found it: the reception had it. A courier brings it tomorrow.\nSorry for the trouble!'],
			['end-user', 'Chloé Martin', '22008', 'Merci 🙏'],
		]);
		expect(d.messages[0]!.timestamp).toEqual({epochMs: 1710752400000});
		expect(d.messages[3]!.attachments).toEqual([{name: 'door.jpg', url: 'https://downloads.intercomcdn.com/i/o/123/door.jpg', mimeType: 'image/jpeg', size: 183004}]);
		expect(d.messages[2]!.location).toEqual({file: CONVERSATION, line: 34, column: 7, path: '$.conversation_parts.conversation_parts[1]'});
		expect(findings.map((f) => f.message)).toEqual([
			'3 conversation part(s) without a body skipped (close: 1, conversation_attribute_updated_by_admin: 1, ticket_state_updated_by_admin: 1).',
			'1 private note(s) skipped; use --private-notes import to import them as messages marked private.',
		]);
	});

	it('notes are private messages when imported', async () => {
		const {drafts} = await collect(reader, CONVERSATION, {privateNotes: 'import'});
		expect(drafts[0]!.messages.filter((m) => m.private).map((m) => [m.role, m.text])).toEqual([['agent', 'Carrier says left at reception. Ask for a photo.']]);
	});

	it('epoch seconds become exact instants; the conversation normalizes without errors', async () => {
		const {conversations, findings} = await normalize(reader, CONVERSATION);
		expect(errors(findings)).toEqual([]);
		expect(conversations[0]!.messages.map((m) => m.timestamp)).toEqual([1710752400000, 1710752405000, 1710753000000, 1710754000000, 1710759000000, 1710759600000]);
		expect(conversations[0]!.messages.every((m) => m.timestampOrigin === 'format')).toBe(true);
	});

	it('reads arrays: lead and team authors, the older API (conversation_message, user), and warns about truncated part lists', async () => {
		const {drafts, findings} = await collect(reader, fixture('intercom/conversations.json'));
		expect(drafts[0]!.messages.map((m) => m.role)).toEqual(['end-user', 'agent', 'end-user']);
		const old = drafts[1]!;
		expect(old).toMatchObject({id: 'intercom:1500000042', subject: 'Invoice question', requester: {id: '5e1f00000000000000000042', name: 'Peter Schmidt', email: 'peter.schmidt@example.de'}});
		expect(old.messages.map((m) => [m.senderName, m.text])).toEqual([
			['Peter Schmidt', 'Hello, where can I download my invoices?'],
			['Anna Weber', 'Under Settings → Billing: Billing (https://app.example.com/billing)'],
			['Peter Schmidt', 'Got it.'],
		]);
		expect(findings).toMatchObject([{severity: 'warning', code: 'skipped-record', conversationId: 'intercom:1500000042', message: expect.stringContaining('2 of 612 conversation parts')}]);
	});

	it('unwraps a webhook notification_event', async () => {
		const {drafts} = await collect(reader, fixture('intercom/notification.json'));
		expect(drafts).toMatchObject([{id: 'intercom:3000000007', messages: [{role: 'end-user', text: 'Can I change my plan mid-month?', location: {path: '$.data.item.source'}}]}]);
	});

	it('a truncated file is unparsable with line and column; other JSON is refused record by record', async () => {
		const truncated = await collect(reader, fixture('intercom/truncated.json'));
		expect(truncated.findings).toMatchObject([{severity: 'error', code: 'unparsable', location: {line: 35, column: expect.any(Number)}}]);
		const other = await collect(reader, write('o.json', '[{"type": "contact", "id": "1"}]'));
		expect(other.findings).toMatchObject([{severity: 'warning', code: 'invalid-record', location: {path: '$[0]'}}]);
	});

	it('detects conversations, lists and notifications', async () => {
		for (const name of ['conversation.json', 'conversations.json', 'notification.json', 'truncated.json']) {
			expect(reader.detect(await probeOf(fixture(`intercom/${name}`))).confidence, name).toBeGreaterThanOrEqual(0.85);
		}
		expect(reader.detect(await probeOf(write('l.json', '{"type": "conversation.list", "conversations": []}'))).confidence).toBe(0.85);
	});
});
