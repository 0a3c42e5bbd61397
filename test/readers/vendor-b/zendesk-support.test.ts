import {describe, expect, it} from 'vitest';
import {zendeskSupportReader as reader} from '../../../source/core/readers/vendor-b/zendesk-support.js';
import {codes, collect, errors, fixture, normalize, probeOf, write} from './helpers.js';

const TICKETS = fixture('zendesk-support/tickets-with-comments.json');

describe('Zendesk Support tickets', () => {
	it('maps comments in array order (ids not monotonic), roles, HTML/plain bodies, attachments and ids', async () => {
		const {drafts} = await collect(reader, TICKETS);
		expect(drafts.map((d) => d.id)).toEqual(['zendesk-support:4521', 'zendesk-support:4522', 'zendesk-support:4523']);
		const [refund, reset, invoice] = drafts;
		expect(refund).toMatchObject({subject: 'Refund for order #A-1029', requester: {id: '381190023'}, attributes: {zendeskStatus: 'solved', zendeskTags: ['billing', 'refund'], zendeskChannel: 'web'}});
		expect(refund!.messages.map((m) => [m.role, m.senderId, m.sourceId])).toEqual([
			['end-user', '381190023', '603439493499'],
			['agent', '377001234', '600804781759'],
			['agent', '399100555', '604112000999'],
		]);
		expect(refund!.messages[0]).toMatchObject({
			text: 'Hello, I was charged twice for order A-1029.\nCan you refund one of the payments?',
			timestamp: '2024-03-11T09:14:02Z',
			attachments: [{name: 'bank-statement.pdf', url: 'https://acme.zendesk.com/attachments/token/Tk1/?name=bank-statement.pdf', mimeType: 'application/pdf', size: 48211}],
			location: {file: TICKETS, line: 21, column: 7, path: '$[0].comments[0]'},
		});
		expect(reset!.messages.map((m) => m.text)).toEqual(['The reset link says it has expired.', 'I have sent you a new link, valid for 24 hours.', 'Works now, thanks!']);
		// An e-mail ticket: HTML body, sender named by via.source.from, inline image kept once, Zendesk system comment.
		expect(invoice!.requester).toEqual({id: '381199001', name: 'Tom Baker', email: 'tom.baker@example.org'});
		expect(invoice!.messages.map((m) => [m.role, m.senderId, m.senderName])).toEqual([
			['end-user', '381199001', 'Tom Baker'],
			['system', 'zendesk', undefined],
			['agent', '377009876', undefined],
		]);
		expect(invoice!.messages[0]!.text).toBe('Could you send me a copy of invoice INV-2024-031?\nSee the screenshot:\nThanks & regards,\nTom');
		expect(invoice!.messages[0]!.attachments).toHaveLength(1);
		expect(invoice!.messages[2]!.text).toBe('Hi Tom,\nhere it is: INV-2024-031.pdf (https://acme.example.com/invoices/INV-2024-031.pdf)');
	});

	it('skips private comments by default and counts them; imports them marked private when asked', async () => {
		const skipped = await collect(reader, TICKETS);
		const notes = skipped.findings.filter((f) => f.code === 'private-note');
		expect(notes.map((f) => [f.conversationId, f.message.slice(0, 25)])).toEqual([
			['zendesk-support:4521', '1 private note(s) skipped'],
			['zendesk-support:4522', '1 private note(s) skipped'],
		]);
		const imported = await collect(reader, TICKETS, {privateNotes: 'import'});
		const note = imported.drafts[0]!.messages.find((m) => m.private)!;
		expect(note).toMatchObject({private: true, role: 'agent', text: 'Internal: billing ticket BL-77 > refund approved by Marco.'});
		expect(imported.findings.find((f) => f.code === 'private-note')!.message).toBe('1 private note(s) imported as messages marked private.');
	});

	it('says which authors it assumed to be agents; --agents/--bots decide instead', async () => {
		const {findings} = await collect(reader, TICKETS);
		expect(findings.filter((f) => f.code === 'role-assumed').map((f) => f.message)).toEqual([
			expect.stringContaining('399100555'),
			expect.stringContaining('377009876'),
		]);
		const {drafts} = await collect(reader, TICKETS, {bots: ['399100555']});
		expect(drafts[0]!.messages[2]!.role).toBe('bot');
	});

	it('handles missing created_at by order: the first comment takes the ticket time, the rest are synthesized', async () => {
		const {conversations, findings} = await normalize(reader, TICKETS);
		const reset = conversations.find((c) => c.id === 'zendesk-support:4522')!;
		expect(reset.messages.every((m) => m.timestampOrigin === 'synthesized')).toBe(true);
		expect(reset.messages.map((m) => m.clientTimestamp)).toEqual([...reset.messages.map((m) => m.clientTimestamp)].sort((a, b) => a - b));
		expect(findings.find((f) => f.code === 'timestamp-missing' && f.conversationId === 'zendesk-support:4522')).toBeDefined();
		const invoice = conversations.find((c) => c.id === 'zendesk-support:4523')!;
		expect(invoice.messages[0]).toMatchObject({timestamp: Date.parse('2024-03-14T07:30:00Z'), timestampOrigin: 'iso-offset'});
		expect(errors(findings)).toEqual([]);
	});

	it('reads an API page with sideloaded users after the tickets: names, e-mails, description-only tickets', async () => {
		const {drafts, findings} = await collect(reader, fixture('zendesk-support/tickets-page.json'));
		expect(drafts.map((d) => [d.id, d.requester])).toEqual([
			['zendesk-support:5001', {id: '381200001', name: 'Ana Souza', email: 'ana.souza@example.com'}],
			['zendesk-support:5002', {id: '381200002', name: 'Li Wei', email: 'li.wei@example.com'}],
		]);
		expect(drafts[0]!.messages).toEqual([
			{
				location: {file: fixture('zendesk-support/tickets-page.json'), line: 10, column: 22, path: '$.tickets[0].description'},
				role: 'end-user',
				senderId: '381200001',
				senderName: 'Ana Souza',
				text: 'My account is locked after three attempts.',
				timestamp: '2024-04-02T12:00:00Z',
			},
		]);
		expect(codes(findings)).toEqual(['skipped-record', 'skipped-record']);
	});

	it('reads a ticket + comments pair with users: user roles win, CCs are end-users, admins agents', async () => {
		const {drafts} = await collect(reader, fixture('zendesk-support/ticket-pair.json'), {privateNotes: 'import'});
		expect(drafts[0]!.messages.map((m) => [m.role, m.senderName, m.private ?? false])).toEqual([
			['end-user', 'Sara Conti', false],
			['end-user', 'Luca Neri', false],
			['agent', 'Giorgio Verdi', false],
			['agent', 'Paola Blu', true],
		]);
		expect(drafts[0]!.messages[0]!.timestamp).toBe('2024-05-06T08:00:00+02:00');
	});

	it('reads JSON lines (the admin JSON export) with line locations', async () => {
		const path = fixture('zendesk-support/export.jsonl');
		const {drafts} = await collect(reader, path);
		expect(drafts.map((d) => [d.id, d.location.line, d.messages.length])).toEqual([
			['zendesk-support:7001', 1, 2],
			['zendesk-support:7002', 2, 2],
			['zendesk-support:7003', 4, 1],
		]);
		expect(drafts[0]!.requester).toEqual({id: '1001', name: 'Nina Rossi', email: 'nina@example.com'});
		expect(drafts[0]!.messages[1]).toMatchObject({role: 'agent', senderName: 'Dario Agent', location: {line: 1, path: '$.comments[1]'}});
	});

	it('a comments page alone takes its id from the file name', async () => {
		const path = write('4711.json', '{"comments": [{"id": 1, "author_id": 5, "body": "hi", "public": true}], "next_page": null}');
		const {drafts, findings} = await collect(reader, path);
		expect(drafts[0]!.id).toBe('zendesk-support:4711');
		expect(findings[0]).toMatchObject({severity: 'info', code: 'missing-conversation-id'});
	});
});

describe('Zendesk Support: broken files and detection', () => {
	it('a bad JSON line is reported with its line and skipped; the others are read', async () => {
		const path = fixture('zendesk-support/broken-line.jsonl');
		const {drafts, findings} = await collect(reader, path);
		expect(drafts.map((d) => d.id)).toEqual(['zendesk-support:7101', 'zendesk-support:7103']);
		expect(findings).toEqual([{severity: 'error', code: 'unparsable', message: expect.stringMatching(/^Line 2 is not valid JSON/), location: {file: path, line: 2, column: expect.any(Number)}}]);
	});

	it('a truncated file gives an unparsable finding with line and column, never a throw', async () => {
		const path = fixture('zendesk-support/truncated.json');
		const {findings} = await collect(reader, path);
		expect(findings.at(-1)).toMatchObject({severity: 'error', code: 'unparsable', location: {file: path, line: 33}});
		expect(findings.at(-1)!.message).toMatch(/truncated/);
	});

	it('records that are not tickets are skipped with a warning', async () => {
		const {drafts, findings} = await collect(reader, write('odd.json', '[{"id": 1, "comments": []}, 42, {"foo": "bar"}]'));
		expect(drafts).toHaveLength(1);
		expect(findings.filter((f) => f.code === 'invalid-record').map((f) => f.location?.path)).toEqual(['$[1]', '$[2]']);
	});

	it('detects tickets by content, and a users export as unsupported', async () => {
		for (const name of ['tickets-with-comments.json', 'tickets-page.json', 'ticket-pair.json', 'export.jsonl', 'truncated.json']) {
			expect(reader.detect(await probeOf(fixture(`zendesk-support/${name}`))).confidence, name).toBeGreaterThanOrEqual(0.85);
		}
		const users = reader.detect(await probeOf(fixture('zendesk-support/users.json')));
		expect(users.unsupported).toMatch(/Zendesk users export/);
		expect(reader.detect(await probeOf(write('x.json', '{"id": 1, "comments": []}'))).confidence).toBe(0);
	});
});
