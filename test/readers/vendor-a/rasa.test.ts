import {describe, expect, it} from 'vitest';
import {rasaReader} from '../../../source/core/readers/vendor-a/rasa.js';
import {decodeCopyField} from '../../../source/core/readers/vendor-a/rasa-copy.js';
import {codes, collect, fixture, probeOf} from './helpers.js';

const MOODBOT = fixture('rasa/tracker-moodbot.json');
const WITH_BOT = fixture('rasa/tracker-with-bot.json');
const SQL = fixture('rasa/events.sql');

describe('Rasa tracker JSON', () => {
	it('maps user/bot turns, utter_* placeholders, intent-only text, float-second timestamps, in array order', async () => {
		const {drafts, findings} = await collect(rasaReader, MOODBOT);
		expect(drafts).toHaveLength(1);
		const d = drafts[0]!;
		expect(d.id).toBe('moodbot-user-7');
		expect(d.requester).toEqual({id: 'moodbot-user-7'});
		expect(d.messages.map((m) => [m.role, m.senderId, m.text])).toEqual([
			['end-user', 'moodbot-user-7', '/greet'],
			['bot', 'bot', '[utter_greet]'],
			['end-user', 'moodbot-user-7', 'I am sad'],
			['bot', 'bot', '[utter_cheer_up]'],
			['bot', 'bot', '[utter_did_that_help]'],
			['end-user', 'moodbot-user-7', '/affirm'],
			['bot', 'bot', '[utter_happy]'],
		]);
		expect(d.messages[0]).toMatchObject({sourceId: 'm1', timestamp: {epochMs: 1710493726200}, location: {file: MOODBOT, path: '$.events[3]'}});
		expect(d.messages[5]!.timestamp).toEqual({epochMs: 1710497331123});
		const placeholders = findings.find((f) => f.message.includes('placeholders'))!;
		expect(placeholders).toMatchObject({severity: 'info', code: 'skipped-record', conversationId: 'moodbot-user-7'});
		expect(placeholders.message).toMatch(/^4 bot turn/);
		const skipped = findings.find((f) => f.message.includes('non-message'))!;
		expect(skipped.message).toBe('8 non-message event(s) skipped (action: 5, session_started: 2, slot: 1).');
	});

	it('splits sessions into <sender_id>#<n> and drops the empty pre-session part', async () => {
		const {drafts} = await collect(rasaReader, MOODBOT, {splitSessions: true});
		expect(drafts.map((d) => [d.id, d.messages.length])).toEqual([
			['moodbot-user-7#1', 5],
			['moodbot-user-7#2', 2],
		]);
		expect(drafts[1]!.location).toEqual({file: MOODBOT, path: '$.events[12]'});
	});

	it('does not duplicate an utter action followed by its bot event; keeps buttons and attachments', async () => {
		const {drafts, findings} = await collect(rasaReader, WITH_BOT);
		const m = drafts[0]!.messages;
		expect(m.map((x) => x.text)).toEqual(['Ciao, vorrei un rimborso', 'Qual è il numero del tuo ordine?\n[Non lo so] [Annulla]', 'A-991', 'Ecco la ricevuta', '']);
		expect(m[3]!.attachments).toEqual([{url: 'https://cdn.example.com/receipts/A-991.png?sig=1', name: 'A-991.png'}]);
		expect(m[4]!.attachments).toEqual([{url: 'https://cdn.example.com/policy.pdf', name: 'policy.pdf'}]);
		expect(m[1]!.timestamp).toEqual({epochMs: 1710600001710});
		expect(findings.some((f) => f.message.includes('placeholders'))).toBe(false);
	});

	it('reads a list of trackers', async () => {
		const {drafts} = await collect(rasaReader, fixture('rasa/trackers-list.json'));
		expect(drafts.map((d) => d.id)).toEqual(['a1', 'a2']);
		expect(drafts[1]!.messages[1]!.location.path).toBe('$[1].events[1]');
	});
});

describe('Rasa bare event arrays', () => {
	it('groups by sender_id and keeps array order within a sender', async () => {
		const {drafts} = await collect(rasaReader, fixture('rasa/events-array.json'));
		expect(drafts.map((d) => d.id)).toEqual(['cust-1', 'cust-2']);
		expect(drafts[0]!.messages.map((m) => m.text)).toEqual(['Where is my parcel?', 'Let me check.', 'It ships tomorrow.']);
		expect(drafts[1]!.messages.map((m) => m.role)).toEqual(['end-user', 'bot']);
		expect(drafts[0]!.messages[2]!.location.path).toBe('$[4]');
		expect(drafts[0]!.messages[0]!.timestamp).toEqual({epochMs: 1710800000000});
	});

	it('names the conversation after the file when events have no sender_id', async () => {
		const {drafts, findings} = await collect(rasaReader, fixture('rasa/bare-events.json'));
		expect(drafts[0]!.id).toBe('bare-events');
		expect(drafts[0]!.messages.map((m) => m.text)).toEqual(['hello', 'Hi!']);
		expect(findings.find((f) => f.code === 'missing-conversation-id')).toMatchObject({severity: 'info'});
	});
});

describe('Rasa SQL tracker-store dump', () => {
	it('decodes COPY escapes and \\N', () => {
		expect(decodeCopyField('\\N')).toBeNull();
		expect(decodeCopyField('a\\tb\\nc\\\\d\\101')).toBe('a\tb\nc\\dA');
	});

	it('reads events per sender in id order, with line locations, and reports broken rows', async () => {
		const {drafts, findings} = await collect(rasaReader, SQL);
		expect(drafts.map((d) => d.id)).toEqual(['web-42', 'tg-7']);
		const web = drafts[0]!.messages;
		expect(web.map((m) => [m.role, m.text])).toEqual([
			['end-user', 'Hello \\o/ "quoted"\ttab\nnew line'],
			['bot', 'Hi! C:\\path'],
		]);
		expect(web[0]).toMatchObject({sourceId: 'x1', timestamp: {epochMs: 1710493726200}, location: {file: SQL, line: 20}});
		expect(drafts[1]!.messages.map((m) => m.text)).toEqual(['Great, thanks ☺', '[utter_happy]']);
		expect(findings.find((f) => f.code === 'column-count')).toMatchObject({severity: 'warning', location: {file: SQL, line: 25}});
		expect(findings.find((f) => f.code === 'unparsable')).toMatchObject({severity: 'warning', location: {file: SQL, line: 26}});
		expect(findings.find((f) => f.code === 'unparsable')!.message).toContain('"data" column');
	});
});

describe('Rasa: broken files and detection', () => {
	it('a truncated tracker reports line and column', async () => {
		const path = fixture('rasa/truncated.json');
		const {drafts, findings} = await collect(rasaReader, path);
		expect(drafts).toEqual([]);
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({severity: 'error', code: 'unparsable', location: {file: path}});
		expect(findings[0]!.location!.line).toBeGreaterThan(20);
		expect(findings[0]!.message).toMatch(/truncated\.json ends too early at line \d+, column \d+: the file is truncated/);
	});

	it('a text that is neither JSON nor a dump is refused clearly', async () => {
		const {findings} = await collect(rasaReader, fixture('whatsapp/broken.txt'));
		expect(findings[0]).toMatchObject({severity: 'error', code: 'unparsable'});
		expect(findings[0]!.message).toContain('COPY public.events');
	});

	it('JSON that is not a tracker is refused clearly', async () => {
		const {findings} = await collect(rasaReader, fixture('rasa/nlu.json'));
		expect(codes(findings)).toEqual(['invalid-record']);
	});

	it('detects trackers, event arrays and dumps; flags NLU data as unsupported', async () => {
		for (const name of ['tracker-moodbot.json', 'tracker-with-bot.json', 'trackers-list.json', 'events-array.json', 'bare-events.json', 'events.sql']) {
			expect(rasaReader.detect(await probeOf(fixture(`rasa/${name}`))).confidence, name).toBeGreaterThanOrEqual(0.85);
		}
		const nlu = rasaReader.detect(await probeOf(fixture('rasa/nlu.json')));
		expect(nlu.unsupported).toContain('training data');
		expect(rasaReader.detect(await probeOf(fixture('whatsapp/year-first.txt'))).confidence).toBe(0);
	});
});
