import {copyFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gorgiasReader} from '../../../source/core/readers/vendor-b/gorgias.js';
import {tidioReader} from '../../../source/core/readers/vendor-b/tidio.js';
import {twcsReader} from '../../../source/core/readers/vendor-b/twcs.js';
import {collect, errors, fixture, normalize, probeOf, tempDir, write} from './helpers.js';

const TIDIO = fixture('tidio/messages.csv');
const GORGIAS_TICKETS = fixture('gorgias/conversations_gorgias.csv');
const GORGIAS_MESSAGES = fixture('gorgias/messages_gorgias.csv');
const TWCS = fixture('twcs/twcs.csv');

describe('Tidio messages export', () => {
	it('maps SENDER to roles, the contact columns to the visitor, and groups by CONVERSATION_ID', async () => {
		const {drafts} = await collect(tidioReader, TIDIO);
		expect(drafts.map((d) => [d.id, d.requester, d.attributes])).toEqual([
			['tidio:6f1c2a9e0b7d4c55', {id: '#504b0', name: '#504b0'}, {tidioChannel: 'widget'}],
			['tidio:b7e2d4f6a8c01234', {id: 'claire.dupont@example.fr', name: 'Claire Dupont', email: 'claire.dupont@example.fr'}, {tidioChannel: 'messenger'}],
			['tidio:c0ffee0000000001', {id: 'sam@example.com', email: 'sam@example.com'}, {tidioChannel: 'widget'}],
		]);
		expect(drafts[1]!.messages.map((m) => [m.role, m.senderId, m.senderName, m.text])).toEqual([
			['end-user', 'claire.dupont@example.fr', 'Claire Dupont', 'Hello, I want to return a jacket.'],
			['bot', 'tidio-automation', 'Automation', 'Please share your order number.'],
			['end-user', 'claire.dupont@example.fr', 'Claire Dupont', 'Order 88-1203\n(the blue one)'],
			['agent', 'tidio-operator', 'Operator', 'Thanks Claire, a return label is on its way.'],
		]);
		expect(drafts[1]!.messages[3]!.location).toEqual({file: TIDIO, line: 11});
	});

	it('repairs the row split by an unquoted comma in MESSAGE_CONTENT, with a warning at its line', async () => {
		const {drafts, findings} = await collect(tidioReader, TIDIO);
		expect(drafts[0]!.messages[3]).toMatchObject({role: 'end-user', text: 'Super 😊 oui, en quelle configuration ?', location: {line: 5}});
		expect(findings).toEqual([{severity: 'warning', code: 'column-count', message: expect.stringContaining('joined back into the message'), location: {file: TIDIO, line: 5}}]);
	});

	it('refuses a split it cannot explain, and reports an unclosed quote, with lines', async () => {
		const path = fixture('tidio/broken.csv');
		const {findings} = await collect(tidioReader, path);
		expect(findings.map((f) => [f.severity, f.code, f.location?.line])).toEqual([
			['error', 'column-count', 2],
			['error', 'unparsable', 3],
		]);
	});

	it('normalizes ISO times exactly; --map overrides a preset column; a missing column is named', async () => {
		const {conversations, findings} = await normalize(tidioReader, TIDIO);
		expect(errors(findings)).toEqual([]);
		expect(conversations[0]!.messages[0]).toMatchObject({role: 'bot', timestamp: Date.parse('2024-03-05T10:00:01Z')});
		const renamed = write('t.csv', 'CONVERSATION_ID,TIME_SENT,SENDER,WORDS\nc1,2024-01-01T00:00:00Z,visitor,hi\n');
		expect((await collect(tidioReader, renamed)).findings[0]).toMatchObject({severity: 'error', code: 'missing-column', message: expect.stringContaining('MESSAGE_CONTENT')});
		expect((await collect(tidioReader, renamed, {columnMap: {text: 'WORDS'}})).drafts[0]!.messages[0]!.text).toBe('hi');
	});
});

describe('Gorgias tickets + messages', () => {
	it('joins the messages file found next to the tickets file on the ticket id', async () => {
		const {drafts, findings} = await collect(gorgiasReader, GORGIAS_TICKETS);
		expect(drafts.map((d) => [d.id, d.subject, d.requester])).toEqual([
			['gorgias:41120901', 'Where is my order #1054?', {id: '90017', name: 'Bessie Berry', email: 'bessie.berry@example.com'}],
			['gorgias:41120955', 'Size exchange', {id: '90022', name: 'Ravi Kumar', email: 'rk@example.org'}],
		]);
		expect(findings.find((f) => f.code === 'empty-conversation')!.message).toMatch(/^1 ticket\(s\) of .*conversations_gorgias\.csv have no messages/);
	});

	it('sorts rows by sent_datetime, matches the customer by e-mail (not name), cuts quoted history, skips internal notes', async () => {
		const {drafts, findings} = await collect(gorgiasReader, GORGIAS_TICKETS);
		expect(drafts[0]!.messages.map((m) => [m.role, m.senderName, m.timestamp, m.location.line])).toEqual([
			['end-user', 'Bessie Berry', '2022-10-05 14:19:04', 13],
			['agent', 'Jordan Lee', '2022-10-05 15:38:40.369865', 2],
			['end-user', 'Bessie Berry', '2022-10-06 09:12:44', 17],
		]);
		expect(drafts[0]!.messages.map((m) => m.text)).toEqual([
			'Hello, I ordered on Sept 28 and still nothing.\nOrder #1054',
			'Hi Bessie,\n\nYour order left our warehouse yesterday, tracking LP00112233.\n\nBest,\nJordan',
			'Thanks, received today!',
		]);
		expect(drafts[0]!.messages[1]!.location.file).toBe(GORGIAS_MESSAGES);
		expect(findings.filter((f) => f.code === 'private-note').map((f) => f.conversationId)).toEqual(['gorgias:41120901']);
		expect(findings.find((f) => f.code === 'timestamp-out-of-order')!.message).toMatch(/^1 ticket\(s\) had their message rows out of time order/);
		const imported = await collect(gorgiasReader, GORGIAS_TICKETS, {privateNotes: 'import'});
		expect(imported.drafts[0]!.messages[2]).toMatchObject({private: true, role: 'agent', text: 'Carrier confirmed the delay (storm).'});
	});

	it('reads the same export from the messages file; zone-less times are read in --timezone', async () => {
		const fromMessages = await collect(gorgiasReader, GORGIAS_MESSAGES);
		expect(fromMessages.drafts.map((d) => d.id)).toEqual(['gorgias:41120901', 'gorgias:41120955']);
		const rome = await normalize(gorgiasReader, GORGIAS_TICKETS, {timezone: 'Europe/Rome'});
		expect(errors(rome.findings)).toEqual([]);
		expect(rome.conversations[0]!.messages[0]!.timestamp).toBe(Date.UTC(2022, 9, 5, 12, 19, 4)); // 14:19:04 CEST
		expect(rome.findings.some((f) => f.code === 'timestamp-no-zone')).toBe(true);
	});

	it('takes the companion from ReadOptions.companionFiles, and refuses one that is not the other half', async () => {
		const dir = tempDir();
		mkdirSync(join(dir, 'a'));
		mkdirSync(join(dir, 'b'));
		const tickets = join(dir, 'a', 'tickets.csv');
		const messages = join(dir, 'b', 'export-2.csv');
		copyFileSync(GORGIAS_TICKETS, tickets);
		copyFileSync(GORGIAS_MESSAGES, messages);
		const alone = await collect(gorgiasReader, tickets);
		expect(alone.drafts).toEqual([]);
		expect(alone.findings[0]).toMatchObject({severity: 'error', code: 'missing-column', message: expect.stringContaining('messages file')});
		expect((await collect(gorgiasReader, tickets, {companionFiles: [messages]})).drafts).toHaveLength(2);
		const wrong = await collect(gorgiasReader, tickets, {companionFiles: [TIDIO]});
		expect(wrong.findings[0]).toMatchObject({severity: 'error', code: 'missing-column', location: {file: TIDIO}});
	});

	it('messages alone: customer by customer_id, Python-style sender_info; a broken sender_info is reported at its line', async () => {
		const {drafts, findings} = await collect(gorgiasReader, fixture('gorgias/messages-only/messages.csv'));
		expect(findings[0]).toMatchObject({severity: 'info', code: 'unreadable-file'});
		expect(drafts[0]!.messages.map((m) => [m.role, m.senderId, m.senderName])).toEqual([
			['end-user', '700', 'Li Na'],
			['agent', '12', 'Eva'],
		]);
		const broken = fixture('gorgias/broken-sender/messages.csv');
		const result = await normalize(gorgiasReader, broken);
		expect(result.findings.find((f) => f.code === 'invalid-record')).toMatchObject({severity: 'warning', location: {file: broken, line: 3}, message: expect.stringContaining('sender_info')});
		expect(errors(result.findings).map((f) => f.code)).toEqual(['unknown-role', 'missing-sender']);
	});
});

describe('Twitter customer support (twcs)', () => {
	it('rebuilds threads from reply chains (incl. comma lists and branches), in time order', async () => {
		const {drafts, findings} = await collect(twcsReader, TWCS);
		expect(drafts.map((d) => [d.id, d.messages.map((m) => m.sourceId).join(',')])).toEqual([
			['twcs:105', '105,106,107,104,103,101,102'],
			['twcs:200', '200,201,202,203'],
			['twcs:301', '301'],
		]);
		expect(findings).toEqual([{severity: 'info', code: 'skipped-record', message: '1 tweet(s) answer a tweet that is not in the file; each starts its own conversation.', location: {file: TWCS, line: 13}}]);
	});

	it('inbound → end-user, brand → agent named @handle; entities unescaped; RFC 2822 dates exact', async () => {
		const {drafts} = await collect(twcsReader, TWCS);
		const d = drafts[0]!;
		expect(d.subject).toBe('Twitter thread with @acmetelco');
		expect(d.requester).toEqual({id: '300112'});
		expect(d.messages.slice(0, 3).map((m) => [m.role, m.senderId, m.senderName])).toEqual([
			['end-user', '300112', undefined],
			['agent', 'acmetelco', '@acmetelco'],
			['end-user', '300113', undefined],
		]);
		expect(d.messages[2]!.text).toBe('@acmetelco @300112 same here!! <3 my neighbourhood is down too');
		expect(d.messages[4]!.text).toBe('@acmetelco still no signal in my area & nobody answers the phone');
		const {conversations, findings} = await normalize(twcsReader, TWCS);
		expect(errors(findings)).toEqual([]);
		expect(conversations[0]!.messages[0]).toMatchObject({timestamp: Date.UTC(2017, 9, 31, 21, 49, 35), timestampOrigin: 'iso-offset'});
	});

	it('a file without the reply column is refused with the missing column named', async () => {
		const {findings} = await collect(twcsReader, fixture('twcs/missing-column.csv'));
		expect(findings).toEqual([{severity: 'error', code: 'missing-column', message: expect.stringContaining('in_response_to_tweet_id'), location: {file: fixture('twcs/missing-column.csv'), line: 1}}]);
	});
});

describe('CSV preset detection', () => {
	it('recognises each export by its header signature', async () => {
		expect(tidioReader.detect(await probeOf(TIDIO)).confidence).toBe(0.9);
		expect(gorgiasReader.detect(await probeOf(GORGIAS_TICKETS)).confidence).toBe(0.9);
		expect(gorgiasReader.detect(await probeOf(GORGIAS_MESSAGES)).confidence).toBe(0.9);
		expect(twcsReader.detect(await probeOf(TWCS)).confidence).toBe(0.95);
		for (const reader of [tidioReader, gorgiasReader, twcsReader]) expect(reader.detect(await probeOf(fixture('native/unquoted-comma.csv'))).confidence).toBe(0);
	});
});
