// Pure parts of the engine: ids, payloads and batching, the pacer, the journal, the progress reducer, reports.
import {mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, statSync} from 'node:fs';
import {getEventListeners} from 'node:events';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {keyIndex, messageKey, requestIdFor, senderFor} from '../../source/core/import/ids.js';
import {Journal} from '../../source/core/import/journal.js';
import {autoConcurrency, importOptions} from '../../source/core/import/options.js';
import {estimate} from '../../source/core/import/plan.js';
import {Pacer} from '../../source/core/import/pacer.js';
import {batches, createRequestInput, messageInput, type PayloadContext} from '../../source/core/import/payload.js';
import {initialProgress, progressReducer, rateAndEta} from '../../source/core/import/progress.js';
import {buildReport, readReport, reportCsv, ReportError, writeReport} from '../../source/core/import/report.js';
import type {ConversationResult, ImportEvent} from '../../source/core/import/events.js';
import type {Clock} from '../../source/core/import/retry.js';
import {backoffDelay} from '../../source/core/import/retry.js';
import {PROJECT_ID, USER_ID} from '../helpers/fake-api.js';
import {draftConversation, normalize} from '../helpers/transcripts.js';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'tdi-units-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const ctx = (options = {}): PayloadContext => ({projectId: PROJECT_ID, source: 'json', format: 'json', file: 'f.json', runId: 'run-1', userId: USER_ID, toolVersion: 't/1', options: importOptions(options)});

describe('ids', () => {
	it('request ids are deterministic, prefixed, and differ by project, source and conversation', () => {
		const a = requestIdFor(PROJECT_ID, 'zendesk', '42');
		expect(a).toMatch(new RegExp(`^support-group-${PROJECT_ID}-[0-9a-f]{32}$`));
		expect(requestIdFor(PROJECT_ID, 'zendesk', '42')).toBe(a);
		expect(new Set([a, requestIdFor(PROJECT_ID, 'intercom', '42'), requestIdFor(PROJECT_ID, 'zendesk', '43'), requestIdFor('6b062dde0fe55021d73267f9', 'zendesk', '42')]).size).toBe(4);
	});
	it('message keys round-trip and foreign keys are ignored', () => {
		expect(keyIndex(messageKey(17))).toBe(17);
		for (const foreign of [undefined, 7, 'x17', 'm', 'm1e3', 'm-1']) expect(keyIndex(foreign)).toBeUndefined();
	});
	it('senders: end-user is the requester, bots get the bot_ prefix, agents a stable id, system is system', () => {
		expect(senderFor({role: 'end-user', senderId: 'x'}, 'guest-1', 's')).toBe('guest-1');
		expect(senderFor({role: 'bot', senderId: 'rasa'}, 'g', 's')).toMatch(/^bot_import-[0-9a-f]{16}$/);
		expect(senderFor({role: 'agent', senderId: 'tom'}, 'g', 's')).toBe(senderFor({role: 'agent', senderId: 'tom'}, 'other', 's'));
		expect(senderFor({role: 'agent', senderId: 'tom'}, 'g', 's')).not.toBe(senderFor({role: 'agent', senderId: 'ann'}, 'g', 's'));
		expect(senderFor({role: 'system', senderId: 'x'}, 'g', 's')).toBe('system');
	});
});

describe('payload', () => {
	const [item] = normalize([draftConversation('c1', 4, {roles: ['end-user', 'agent', 'bot', 'system']})]);
	const c = item!.conversation!;

	it('messages carry explicit sender, name, original time, import key and history status', () => {
		const inputs = c.messages.map((m, i) => messageInput(m, i, {id: 'guest-1', name: 'Customer c1'}, ctx()));
		expect(inputs.map((m) => [m.sender.slice(0, 11), m.senderFullname, m.status])).toEqual([
			['guest-1', 'Customer c1', 200],
			['import-agen', 'Tom (Support)', 200],
			['bot_import-', 'HelpBot', 200],
			['system', 'System', 200],
		]);
		expect(inputs[0]!.attributes).toMatchObject({clienttimestamp: c.messages[0]!.clientTimestamp, import_key: 'm0', seq: 0, original_created_at: '2025-03-03T09:00:00.000Z', source_message_id: 'c1-m0'});
		expect(inputs[3]!.attributes?.['subtype']).toBe('info');
		expect(messageInput(c.messages[0]!, 0, {id: 'g', name: 'n'}, ctx({messageStatus: 'live'})).status).toBe(0);
	});

	it('attachments become image/file messages or labelled links; private notes are marked', () => {
		const base = c.messages[0]!;
		const image = messageInput({...base, text: '', attachments: [{name: 'a.png', url: 'https://x/a.png', mimeType: 'image/png'}]}, 0, {id: 'g', name: 'n'}, ctx());
		expect(image).toMatchObject({type: 'image', text: 'a.png', metadata: {src: 'https://x/a.png', name: 'a.png', type: 'image/png'}});
		const two = messageInput({...base, text: 'see', private: true, attachments: [{name: 'a.pdf', url: 'https://x/a.pdf'}, {name: 'b.txt'}]}, 0, {id: 'g', name: 'n'}, ctx());
		expect(two.type).toBe('text');
		expect(two.text).toBe('[Internal note]\nsee\n[Attachment: a.pdf — https://x/a.pdf]\n[Attachment: b.txt]');
		expect(two.attributes).toMatchObject({private_note: true});
	});

	it('the request: requester as sender, participants per option, e-mail only when kept', () => {
		const body = createRequestInput(c, 'rid', 'guest-1', ctx());
		expect(body).toMatchObject({request_id: 'rid', sender: 'guest-1', senderFullname: 'Customer c1', participants: [USER_ID], first_text: 'c1 message 0', subject: 'Subject c1'});
		expect(body.email).toBeUndefined();
		expect(createRequestInput(c, 'rid', 'g', ctx({requesterEmail: 'keep'})).email).toBe('c1@example.com');
		expect(createRequestInput(c, 'rid', 'g', ctx({participants: 'routing'})).participants).toBeUndefined();
		expect(createRequestInput(c, 'rid', 'g', ctx({participants: 'agent', agentId: '6b062dde0fe55021d73267aa'})).participants).toEqual(['6b062dde0fe55021d73267aa']);
	});

	it('batches stay under the byte limit and the count limit, in order', () => {
		const inputs = Array.from({length: 30}, (_, i) => ({sender: 's', senderFullname: 'n', text: 'x'.repeat(i === 5 ? 9000 : 1000)}));
		const groups = batches(inputs, inputs.map((_, i) => i), 8, 10_000);
		expect(groups.flat()).toEqual(inputs.map((_, i) => i));
		for (const g of groups) {
			expect(g.length).toBeLessThanOrEqual(8);
			if (g.length > 1) expect(Buffer.byteLength(JSON.stringify(g.map((i) => inputs[i])))).toBeLessThanOrEqual(10_000);
		}
		expect(groups.some((g) => g.length === 1 && g[0] === 5)).toBe(true);
	});
});

function fakeClock(): Clock & {advance(ms: number): void; t: number} {
	const sleepers: {at: number; resolve: () => void}[] = [];
	const clock = {
		t: 0,
		now: () => clock.t,
		random: () => 0.5,
		sleep: (ms: number) => new Promise<void>((resolve) => sleepers.push({at: clock.t + ms, resolve})),
		advance(ms: number) {
			clock.t += ms;
			for (const s of sleepers.splice(0)) {
				if (s.at <= clock.t) s.resolve();
				else sleepers.push(s);
			}
		},
	};
	return clock;
}

describe('pacer', () => {
	it('halves concurrency on 429 and grows it back after successes', () => {
		const pacer = new Pacer({maxConcurrency: 8, requestsPerMinute: 0, clock: fakeClock()});
		pacer.rateLimited(1000);
		expect(pacer.concurrency).toBe(4);
		pacer.rateLimited(1000);
		expect(pacer.concurrency).toBe(2);
		for (let i = 0; i < 8; i++) pacer.succeeded();
		expect(pacer.concurrency).toBe(3);
	});

	it('holds calls for Retry-After and spaces calls under a per-minute cap', async () => {
		const clock = fakeClock();
		const pacer = new Pacer({maxConcurrency: 2, requestsPerMinute: 60, clock});
		let passed = 0;
		const gate = () => pacer.gate().then(() => passed++);
		void gate();
		void gate();
		await Promise.resolve();
		await Promise.resolve();
		expect(passed).toBe(1); // the second call waits one second
		clock.advance(1000);
		await new Promise((r) => setTimeout(r, 0));
		expect(passed).toBe(2);
		pacer.rateLimited(5000);
		void gate();
		clock.advance(4000);
		await new Promise((r) => setTimeout(r, 0));
		expect(passed).toBe(2);
		clock.advance(1000);
		await new Promise((r) => setTimeout(r, 0));
		expect(passed).toBe(3);
	});

	it('slots: never more than the limit; pause stops new slots until resume', async () => {
		const pacer = new Pacer({maxConcurrency: 2, requestsPerMinute: 0, clock: fakeClock()});
		await pacer.acquire();
		await pacer.acquire();
		let third = false;
		void pacer.acquire().then(() => (third = true));
		await new Promise((r) => setTimeout(r, 0));
		expect(third).toBe(false);
		pacer.pause();
		pacer.release();
		await new Promise((r) => setTimeout(r, 0));
		expect(third).toBe(false);
		pacer.resume();
		await new Promise((r) => setTimeout(r, 0));
		expect(third).toBe(true);
		expect(pacer.inFlight).toBe(2);
	});

	it('pause/resume cycles leave no abort listener behind on the run\'s signal', async () => {
		const pacer = new Pacer({maxConcurrency: 4, requestsPerMinute: 0, clock: fakeClock()});
		const controller = new AbortController();
		for (let i = 0; i < 20; i++) {
			pacer.pause();
			const waiting = Promise.all([pacer.gate(controller.signal), pacer.gate(controller.signal)]);
			await new Promise((r) => setTimeout(r, 0));
			pacer.resume();
			await waiting;
		}
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
	});

	it('auto concurrency: 8 on a near server, about one per 2 ms of round trip on a far one, at most 48', () => {
		expect([undefined, 1, 8, 20, 50, 100, 400].map((rtt) => autoConcurrency(rtt))).toEqual([8, 8, 8, 10, 25, 48, 48]);
		// The estimate counts more than 4 in flight only where the network, not the server, is the limit.
		expect(estimate(1000, 48, 5)).toBe(estimate(1000, 4, 5));
		expect(estimate(1000, 40, 100)).toBe(Math.round(estimate(1000, 4, 100) / 10));
	});

	it('backoff: exponential ceiling with jitter, Retry-After wins, capped', () => {
		const policy = {attempts: 5, baseMs: 100, maxMs: 1000};
		expect(backoffDelay(1, policy, () => 0.999)).toBeLessThanOrEqual(100);
		expect(backoffDelay(4, policy, () => 0.999)).toBeGreaterThan(700);
		expect(backoffDelay(9, policy, () => 0.999)).toBeLessThanOrEqual(1000);
		expect(backoffDelay(1, policy, () => 0, 700)).toBe(700);
	});
});

describe('journal', () => {
	const result = (status: ConversationResult['status'], messages = 3): ConversationResult => ({index: 0, sourceId: 'c', requestId: 'r1', status, created: true, messages, sent: 3, alreadyPresent: 0, durationMs: 1});

	it('replays runs, guests, creations and finished conversations; a torn last line is tolerated', () => {
		const path = join(dir, 'j', 'journal.ndjson');
		const j = Journal.open(path);
		j.append({t: 'run', run: 'a', at: 1, file: 'f', projectId: 'p'});
		j.append({t: 'guest', requester: 'cust', guest: 'g1'});
		j.append({t: 'created', rid: 'r1', run: 'a'});
		j.append({t: 'done', rid: 'r1', run: 'a', result: result('imported')});
		j.close();
		appendFileSync(path, '{"t":"done","rid":"r2","ru'); // killed mid-write
		expect(statSync(path).mode & 0o777).toBe(0o600);
		const again = Journal.open(path);
		expect(again.state.runs).toEqual(['a']);
		expect(again.state.guests.get('cust')).toBe('g1');
		expect(again.state.createdBy.get('r1')).toBe('a');
		expect(again.isDone('r1', 3)).toBe(true);
		expect(again.isDone('r1', 4)).toBe(false); // a longer export of it is not done
		expect(again.state.damaged).toBe(1);
		again.append({t: 'created', rid: 'r3', run: 'b'});
		again.close();
		expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).pop()).toBe('{"t":"created","rid":"r3","run":"b"}');
		expect(Journal.open(path).state.createdBy.get('r3')).toBe('b');
	});

	it('failed and cancelled conversations are not done', () => {
		const j = Journal.memory();
		j.append({t: 'done', rid: 'r1', run: 'a', result: result('failed')});
		expect(j.isDone('r1', 3)).toBe(false);
	});
});

describe('progress reducer', () => {
	it('folds events into counts, in-flight steps, rate and ETA', () => {
		const plan = {conversations: 2, blocked: 0, messages: 10} as never;
		const r = (status: ConversationResult['status'], index: number, messages: number, sent: number): ConversationResult => ({index, sourceId: `c${index}`, requestId: `r${index}`, status, created: true, messages, sent, alreadyPresent: 0, durationMs: 5});
		const events: [ImportEvent, number][] = [
			[{type: 'run-planned', plan}, 0],
			[{type: 'run-started', runId: 'x', dryRun: false, resumed: 0}, 0],
			[{type: 'conversation-started', index: 0, sourceId: 'c0', requestId: 'r0', messages: 4}, 10],
			[{type: 'conversation-started', index: 1, sourceId: 'c1', requestId: 'r1', messages: 6}, 10],
			[{type: 'step', index: 1, sourceId: 'c1', step: 'sending'}, 20],
			[{type: 'messages-sent', index: 1, sourceId: 'c1', sent: 3, total: 6}, 30],
			[{type: 'conversation-finished', result: r('imported', 0, 4, 4)}, 1000],
		];
		let s = initialProgress();
		for (const [e, t] of events) s = progressReducer(s, e, t);
		expect(s.inFlight.map((f) => [f.sourceId, f.step, f.sent])).toEqual([['c1', 'sending', 3]]);
		expect(s.messagesDone).toBe(7);
		expect(s.byStatus.imported).toBe(1);
		const {messagesPerSecond, etaMs} = rateAndEta(s, 1000);
		expect(messagesPerSecond).toBeCloseTo(7);
		expect(etaMs).toBeCloseTo((3 / 7) * 1000);
		s = progressReducer(s, {type: 'conversation-finished', result: r('failed', 1, 6, 3)}, 1500);
		expect(s.messagesDone).toBe(7); // a failed conversation keeps only what was sent
		expect(s.failures.map((f) => f.sourceId)).toEqual(['c1']);
		expect(s.conversationsDone).toBe(2);
	});
});

describe('report', () => {
	it('writes JSON and CSV that read back; links point at the dashboard; bad files give a clear error', () => {
		const report = buildReport({
			tool: 't/1', runId: 'run-1', runs: ['run-0', 'run-1'], file: 'chats.csv', format: 'csv', source: 'csv', baseUrl: 'https://api', projectId: PROJECT_ID,
			dashboardUrl: 'https://panel.tiledesk.com/v3/dashboard', startedAt: 0, finishedAt: 1000, stop: {kind: 'completed'},
			totals: {conversations: 1} as never, options: {}, createdBy: () => 'run-0',
			results: [{index: 0, sourceId: 'a,"b"', requestId: 'rid', status: 'failed', created: false, messages: 2, sent: 1, alreadyPresent: 0, error: {kind: 'server', message: 'boom'}, durationMs: 3}],
		});
		const [json, csv] = writeReport(report, join(dir, 'out'));
		expect(json).toMatch(/chats\.csv\.tiledesk-import-run-1\.json$/);
		expect(readReport(json!).conversations[0]).toMatchObject({sourceId: 'a,"b"', createdBy: 'run-0', link: `https://panel.tiledesk.com/v3/dashboard/#/project/${PROJECT_ID}/wsrequest/rid/messages`});
		expect(readFileSync(csv!, 'utf8')).toBe(reportCsv(report));
		expect(reportCsv(report).split('\n')[1]).toContain('"a,""b"""');
		writeFileSync(join(dir, 'bad.json'), '{"schemaVersion": 1}');
		expect(() => readReport(join(dir, 'bad.json'))).toThrow(ReportError);
		expect(() => readReport(csv!)).toThrow(/not a JSON report/);
	});
});
