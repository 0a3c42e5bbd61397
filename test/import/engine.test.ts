// The engine against an in-memory Tiledesk with scripted faults: exactly-once under every failure mode the real
// server shows (multi is not atomic, answers get lost after a write applied, 429, quota), resume, cancel, options.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {DraftConversation} from '../../source/core/model/draft.js';
import {ImportRun, type RunOutcome} from '../../source/core/import/engine.js';
import type {ImportEvent} from '../../source/core/import/events.js';
import {requestIdFor} from '../../source/core/import/ids.js';
import {createdRows} from '../../source/core/import/undo.js';
import {realClock} from '../../source/core/import/retry.js';
import {importOptions, type ImportOptionsInput} from '../../source/core/import/options.js';
import {CONNECTION, errors, FakeApi, PROJECT_ID, USER_ID, type Fault, type Operation} from '../helpers/fake-api.js';
import {conversations, draftConversation, normalize, sourceOf} from '../helpers/transcripts.js';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'tdi-engine-'));
});
afterEach(() => {
	rmSync(dir, {recursive: true, force: true});
});

const FAST_RETRY = {attempts: 6, baseMs: 1, maxMs: 4};

function engine(api: FakeApi, drafts: DraftConversation[], options: ImportOptionsInput = {}, extra: {journal?: boolean; retryIds?: Set<string>} = {}) {
	return new ImportRun({
		api,
		connection: CONNECTION,
		source: sourceOf(drafts),
		options: importOptions(options),
		toolVersion: 'tiledesk-import/test',
		...(extra.journal === false ? {} : {journalPath: join(dir, 'journal.ndjson')}),
		reportDir: join(dir, 'reports'),
		cwd: dir,
		retry: FAST_RETRY,
		...(extra.retryIds ? {retryIds: extra.retryIds} : {}),
	});
}

async function run(api: FakeApi, drafts: DraftConversation[], options: ImportOptionsInput = {}, extra: {journal?: boolean; onEvent?: (e: ImportEvent, run: ImportRun) => void} = {}): Promise<RunOutcome & {events: ImportEvent[]}> {
	const e = engine(api, drafts, options, extra);
	const events: ImportEvent[] = [];
	e.subscribe((event) => {
		events.push(event);
		extra.onEvent?.(event, e);
	});
	return {...(await e.start()), events};
}

/** Tiledesk holds each transcript message exactly once, with the right sender, name, text and time order. */
function expectExactlyOnce(api: FakeApi, drafts: DraftConversation[]): void {
	for (const item of normalize(drafts)) {
		const c = item.conversation!;
		const rid = requestIdFor(PROJECT_ID, 'json', c.id);
		const request = api.requests.get(rid);
		expect(request, `conversation ${c.id}`).toBeDefined();
		const stored = [...(api.messages.get(rid) ?? [])].sort((a, b) => Number(a.attributes?.['seq']) - Number(b.attributes?.['seq']));
		expect(stored.map((m) => m.attributes?.['import_key'])).toEqual(c.messages.map((_, i) => `m${i}`));
		const lead = (request!.lead as {lead_id: string}).lead_id;
		stored.forEach((m, i) => {
			const source = c.messages[i]!;
			expect(m.text).toBe(source.text);
			expect(m.senderFullname).toBe(source.senderName);
			if (source.role === 'end-user') expect(m.sender).toBe(lead);
			else expect(m.sender).not.toBe(lead);
			expect(m.attributes?.['clienttimestamp']).toBe(source.clientTimestamp);
		});
		const times = stored.map((m) => Number(m.attributes?.['clienttimestamp']));
		expect(times).toEqual([...times].sort((a, b) => a - b));
	}
}

const faultOn = (op: Operation, calls: number[], make: () => Fault) => (o: Operation, n: number) => (o === op && calls.includes(n) ? make() : undefined);

describe('ImportRun', () => {
	it('imports every conversation: requester, request with explicit participants, messages with explicit senders', async () => {
		const api = new FakeApi();
		const drafts = conversations(5, 7);
		const out = await run(api, drafts);
		expect(out.stop).toEqual({kind: 'completed'});
		expect(out.totals.byStatus.imported).toBe(5);
		expect(out.totals.messagesSent).toBe(35);
		expectExactlyOnce(api, drafts);
		const request = [...api.requests.values()][0]!;
		const body = request['body'] as Record<string, unknown>;
		expect(body['participants']).toEqual([USER_ID]); // no routing: no bot joins the imported chat
		expect(body['email']).toBeUndefined(); // requester e-mail dropped by default (no offline e-mails)
		expect(body['senderFullname']).toBe('Customer c0');
		expect(body['attributes']).toMatchObject({imported: true, import_source_id: 'c0', import_run: out.runId});
		// One requester per source customer; five conversations from five customers.
		expect(api.guests).toHaveLength(5);
		expect(out.reportPaths).toHaveLength(2);
	});

	it('a second run with the journal makes no call; without it, only reads', async () => {
		const api = new FakeApi();
		const drafts = conversations(3, 4);
		await run(api, drafts);
		const before = api.calls.length;
		const second = await run(api, drafts);
		expect(second.totals.byStatus.unchanged).toBe(3);
		expect(api.calls.length).toBe(before);
		rmSync(join(dir, 'journal.ndjson'));
		const third = await run(api, drafts);
		expect(third.totals.byStatus.unchanged).toBe(3);
		const writes = api.calls.slice(before).filter((c) => c.op !== 'getRequest' && c.op !== 'listMessages');
		expect(writes).toEqual([]);
		expectExactlyOnce(api, drafts);
	});

	it('a conversation created by a run killed before it journaled the creation is credited to that run (undo finds it)', async () => {
		const api = new FakeApi();
		const drafts = conversations(3, 2);
		const first = await run(api, drafts);
		// The crash window: the create applied on the server, the process died before writing its journal lines.
		const path = join(dir, 'journal.ndjson');
		writeFileSync(path, readFileSync(path, 'utf8').split('\n').filter((l) => !/"t":"(created|done)"/.test(l)).join('\n'));
		const second = await run(api, drafts);
		expect(second.totals.byStatus.unchanged).toBe(3);
		expect(second.report!.conversations.map((c) => c.createdBy)).toEqual([first.runId, first.runId, first.runId]);
		expect(createdRows(second.report!)).toHaveLength(3);
		// Another job (its own journal) finds them too, but never credits them to itself or to a run not its own.
		const other = await run(api, drafts, {}, {journal: false});
		expect(other.report!.conversations.map((c) => c.createdBy)).toEqual([undefined, undefined, undefined]);
		expect(createdRows(other.report!)).toEqual([]);
	});

	it('a multi call that saved part of its batch before failing is completed without duplicates', async () => {
		const api = new FakeApi();
		api.faults = faultOn('postMessages', [1, 2], () => ({kind: 'partial', keep: 2, error: errors.server()}));
		const drafts = [draftConversation('p1', 9)];
		const out = await run(api, drafts, {batchSize: 5, concurrency: 1});
		expect(out.totals.byStatus.imported).toBe(1);
		expect(out.totals.retries).toBeGreaterThanOrEqual(2);
		expectExactlyOnce(api, drafts);
	});

	it('an unexpected error after a conversation (a bug, a failing disk) stops the run as an internal error with a report, never a crash', async () => {
		const api = new FakeApi();
		let thrown = false;
		const out = await run(api, conversations(3, 2), {concurrency: 1}, {
			onEvent: (e) => {
				if (e.type === 'conversation-finished' && !thrown) {
					thrown = true;
					throw new TypeError('boom');
				}
			},
		});
		expect(out.stop).toEqual({kind: 'fatal', error: {kind: 'internal', message: expect.stringMatching(/^Internal error: boom\. What was sent is kept/)}});
		// The first conversation was imported (and journaled) before the error; the others were not attempted.
		expect(out.report!.conversations.map((c) => c.status)).toEqual(['imported', 'cancelled', 'cancelled']);
		expect(out.events.at(-1)).toMatchObject({type: 'run-finished', stop: {kind: 'fatal'}});
	});

	it('a journal with unreadable lines is said in a warning event, and the run still completes exactly once', async () => {
		const api = new FakeApi();
		const drafts = conversations(2, 2);
		writeFileSync(join(dir, 'journal.ndjson'), '{"t":"done","rid":"torn\n');
		const out = await run(api, drafts);
		expect(out.events).toContainEqual({type: 'warning', message: expect.stringMatching(/^The journal had 1 unreadable line/)});
		expect(out.totals.byStatus.imported).toBe(2);
		expectExactlyOnce(api, drafts);
	});

	it('a batch the server saves after its answer timed out is not sent again: reads must agree before a resend', async () => {
		const api = new FakeApi();
		api.faults = faultOn('postMessages', [1], () => ({kind: 'late', afterMs: 120, error: errors.timeout()}));
		const drafts = [draftConversation('late', 6)];
		const e = new ImportRun({
			api,
			connection: CONNECTION,
			source: sourceOf(drafts),
			options: importOptions({batchSize: 10, concurrency: 1}),
			toolVersion: 'tiledesk-import/test',
			reportDir: false,
			retry: {...FAST_RETRY, settleMs: 100},
		});
		const out = await e.start();
		expect(out.totals.byStatus).toMatchObject({imported: 1, failed: 0});
		expect(api.count('postMessages')).toBe(1);
		expectExactlyOnce(api, drafts);
	});

	it('writes whose answer was lost after they applied are detected by reading back (create and multi)', async () => {
		const api = new FakeApi();
		api.faults = (op, n) => {
			if (op === 'createRequest' && n === 1) return {kind: 'after', error: errors.timeout()};
			if (op === 'postMessages' && (n === 1 || n === 3)) return {kind: 'after', error: errors.reset()};
			return undefined;
		};
		const drafts = conversations(2, 6);
		const out = await run(api, drafts, {batchSize: 3, concurrency: 1});
		expect(out.totals.byStatus.imported).toBe(2);
		expect(out.results.every((r) => r.created)).toBe(true);
		expect(api.count('createRequest')).toBe(2); // the lost create was not repeated
		expectExactlyOnce(api, drafts);
	});

	it('retries failures that did not apply, with backoff events', async () => {
		const api = new FakeApi();
		api.faults = (op, n) => (n <= 2 && op !== 'listMessages' ? {kind: 'before', error: errors.server()} : undefined);
		const drafts = conversations(2, 3);
		const out = await run(api, drafts, {concurrency: 1});
		expect(out.totals.byStatus.imported).toBe(2);
		expect(out.events.filter((e) => e.type === 'retry').length).toBe(out.totals.retries);
		expectExactlyOnce(api, drafts);
	});

	it('a conversation that keeps failing is reported as failed; the others are imported; a re-run completes it', async () => {
		const api = new FakeApi();
		const bad = requestIdFor(PROJECT_ID, 'json', 'c1');
		api.faults = (op, _n, rid) => (op === 'postMessages' && rid === bad ? {kind: 'before', error: errors.server()} : undefined);
		const drafts = conversations(3, 3);
		const out = await run(api, drafts);
		expect(out.totals.byStatus).toMatchObject({imported: 2, failed: 1});
		expect(out.results.find((r) => r.sourceId === 'c1')?.error?.kind).toBe('server');
		api.faults = () => undefined;
		const again = await run(api, drafts);
		expect(again.totals.byStatus).toMatchObject({unchanged: 2, completed: 1});
		expectExactlyOnce(api, drafts);
	});

	it('429 halves the conversations in flight, holds calls for Retry-After, and the import completes', async () => {
		const api = new FakeApi();
		api.latencyMs = 2;
		api.faults = faultOn('postMessages', [3, 4], () => ({kind: 'before', error: errors.rateLimited(30)}));
		const drafts = conversations(8, 2);
		const out = await run(api, drafts, {concurrency: 4});
		const limited = out.events.filter((e) => e.type === 'rate-limited');
		expect(limited.length).toBeGreaterThanOrEqual(1);
		expect(limited[0]).toMatchObject({delayMs: 30, concurrency: 2});
		expect(out.totals.byStatus.imported).toBe(8);
		expectExactlyOnce(api, drafts);
	});

	it('stops the run with a clear reason when the monthly quota is used up; a later run resumes', async () => {
		const api = new FakeApi();
		api.quota = 2;
		const drafts = conversations(5, 2);
		const out = await run(api, drafts, {concurrency: 1});
		expect(out.stop.kind).toBe('fatal');
		expect(out.stop.kind === 'fatal' && out.stop.error.message).toMatch(/monthly conversation quota/);
		expect(out.totals.byStatus.imported).toBe(2);
		expect(api.count('createRequest')).toBe(3); // one refused call, then no hammering
		expect(out.results.filter((r) => r.status === 'cancelled')).toHaveLength(3);
		api.quota = Infinity;
		const again = await run(api, drafts, {concurrency: 1});
		expect(again.totals.byStatus).toMatchObject({unchanged: 2, imported: 3});
		expectExactlyOnce(api, drafts);
	});

	it('bad credentials stop the whole run instead of failing each conversation', async () => {
		const api = new FakeApi();
		api.faults = (op, n) => (op === 'getRequest' && n >= 2 ? {kind: 'before', error: errors.badCredentials()} : undefined);
		const out = await run(api, conversations(6, 2), {concurrency: 1});
		expect(out.stop).toMatchObject({kind: 'fatal', error: {kind: 'bad-credentials'}});
		expect(api.count('getRequest')).toBe(2);
	});

	it('cancel stops at a step boundary; everything sent is journaled; a re-run completes exactly once', async () => {
		const api = new FakeApi();
		api.latencyMs = 1;
		const drafts = conversations(10, 5);
		let finished = 0;
		const out = await run(api, drafts, {concurrency: 2, batchSize: 2}, {
			onEvent: (e, r) => {
				if (e.type === 'conversation-finished' && ++finished === 3) r.cancel();
			},
		});
		expect(out.stop).toEqual({kind: 'cancelled'});
		expect(out.totals.byStatus.cancelled).toBeGreaterThan(0);
		expect(out.totals.byStatus.imported).toBeLessThan(10);
		const again = await run(api, drafts, {concurrency: 2});
		expect(again.stop).toEqual({kind: 'completed'});
		expect(again.totals.byStatus.failed).toBe(0);
		expectExactlyOnce(api, drafts);
	});

	it('a graceful stop ends a long back-off wait at once; the conversation is left for the next run', async () => {
		const api = new FakeApi();
		api.faults = faultOn('postMessages', [1], () => ({kind: 'before', error: errors.server()}));
		const drafts = [draftConversation('slow', 3)];
		const e = new ImportRun({
			api,
			connection: CONNECTION,
			source: sourceOf(drafts),
			options: importOptions({concurrency: 1}),
			toolVersion: 'tiledesk-import/test',
			reportDir: false,
			// Backing off for about 20 s before the second attempt.
			retry: {attempts: 3, baseMs: 20_000, maxMs: 20_000},
			clock: {now: () => Date.now(), random: () => 0.99, sleep: realClock.sleep},
		});
		e.subscribe((event) => {
			if (event.type === 'retry') e.cancel('stopped by the test');
		});
		const started = Date.now();
		const out = await e.start();
		expect(Date.now() - started).toBeLessThan(3000);
		expect(out.stop).toEqual({kind: 'cancelled'});
		expect(out.results.map((r) => r.status)).toEqual(['cancelled']);
		const again = await run(api, drafts);
		expect(again.totals.byStatus.completed + again.totals.byStatus.imported).toBe(1);
		expectExactlyOnce(api, drafts);
	});

	it('pause holds new calls until resume', async () => {
		const api = new FakeApi();
		const drafts = conversations(3, 2);
		const e = engine(api, drafts, {concurrency: 1});
		let pausedAt = -1;
		e.subscribe((event) => {
			if (event.type === 'conversation-finished' && pausedAt < 0) {
				e.pause();
				pausedAt = api.calls.length;
				setTimeout(() => {
					expect(api.calls.length).toBe(pausedAt); // nothing moved while paused
					e.resume();
				}, 30);
			}
		});
		const out = await e.start();
		expect(out.totals.byStatus.imported).toBe(3);
	});

	it('a dry run writes nothing and tells which conversations exist', async () => {
		const api = new FakeApi();
		const drafts = conversations(3, 2);
		await run(api, drafts.slice(0, 1));
		const before = api.calls.length;
		const out = await run(api, drafts, {dryRun: true});
		expect(out.results.map((r) => [r.sourceId, r.status, r.exists])).toEqual([
			['c0', 'planned', true],
			['c1', 'planned', false],
			['c2', 'planned', false],
		]);
		expect(api.calls.slice(before).every((c) => c.op === 'getRequest' || c.op === 'listMessages')).toBe(true);
		expect(out.reportPaths).toEqual([]);
	});

	it('--limit, --only and blocked conversations', async () => {
		const api = new FakeApi();
		const broken: DraftConversation = {...draftConversation('bad', 2), messages: [{text: 'no sender, no role', location: {file: 'test.json', line: 99}}]};
		const drafts = [...conversations(4, 2), broken];
		const limited = await run(api, drafts, {limit: 2});
		expect(limited.results.map((r) => r.sourceId)).toEqual(['c0', 'c1']);
		const only = await run(api, drafts, {only: ['c3', 'bad']}, {journal: false});
		expect(only.results.map((r) => [r.sourceId, r.status])).toEqual([
			['c3', 'imported'],
			['bad', 'blocked'],
		]);
		expect(api.requests.has(requestIdFor(PROJECT_ID, 'json', 'bad'))).toBe(false);
		// --only with --limit: an id beyond the limit is in the file, only a made-up one is unknown.
		const both = await engine(new FakeApi(), drafts, {only: ['c1', 'c2', 'nope'], limit: 1, dryRun: true}, {journal: false}).plan();
		expect(both).toMatchObject({conversations: 1, unknownIds: ['nope']});
	});

	it('strict order sends one message per call, in order', async () => {
		const api = new FakeApi();
		const drafts = [draftConversation('s', 5)];
		await run(api, drafts, {order: 'strict'});
		expect(api.calls.filter((c) => c.op === 'postMessages').map((c) => c.count)).toEqual([1, 1, 1, 1, 1]);
		const stored = api.messages.get(requestIdFor(PROJECT_ID, 'json', 's'))!;
		expect(stored.map((m) => m.attributes?.['seq'])).toEqual([0, 1, 2, 3, 4]);
	});

	it('a longer export of the same conversation sends only the new messages (delta)', async () => {
		const api = new FakeApi();
		await run(api, [draftConversation('d', 4)]);
		const out = await run(api, [draftConversation('d', 7)]);
		expect(out.results[0]).toMatchObject({status: 'completed', sent: 3, alreadyPresent: 4});
		expectExactlyOnce(api, [draftConversation('d', 7)]);
	});

	it('closes conversations when asked', async () => {
		const api = new FakeApi();
		await run(api, conversations(2, 2), {close: true});
		expect([...api.requests.values()].map((r) => r.status)).toEqual([1000, 1000]);
	});

	it('never runs more conversations at once than asked', async () => {
		const api = new FakeApi();
		api.latencyMs = 3;
		let open = 0;
		let most = 0;
		await run(api, conversations(12, 2), {concurrency: 3}, {
			onEvent: (e) => {
				if (e.type === 'conversation-started') most = Math.max(most, ++open);
				if (e.type === 'conversation-finished') open--;
			},
		});
		expect(most).toBeLessThanOrEqual(3);
		expect(most).toBeGreaterThan(1);
		// Calls: one per conversation, plus a requester asked for during a check (see the next test).
		expect(api.maxInFlight).toBeLessThanOrEqual(6);
	});

	it('asks for a new conversation\'s requester during its existence check, once this run has found new ones, and not on a re-run without its journal', async () => {
		const api = new FakeApi();
		api.latencyMs = 5;
		const drafts = conversations(6, 2);
		const order = () => api.calls.map((c) => c.op).filter((op) => op === 'getRequest' || op === 'signInAnonymously');
		await run(api, drafts, {concurrency: 2});
		// The first wave (2) checks, then signs in; from the second on, the sign-in is sent before the check's answer.
		const first = order();
		expect(first.slice(0, 4)).toEqual(['getRequest', 'getRequest', 'signInAnonymously', 'signInAnonymously']);
		expect(first.filter((op) => op === 'signInAnonymously')).toHaveLength(6);
		expect(api.maxInFlight).toBeGreaterThan(2);
		expectExactlyOnce(api, drafts);
		// Without the journal every check finds its conversation: no guest is created, speculatively or not.
		rmSync(join(dir, 'journal.ndjson'));
		const before = api.calls.length;
		const again = await run(api, drafts, {concurrency: 2});
		expect(again.totals.byStatus.unchanged).toBe(6);
		expect(api.calls.slice(before).filter((c) => c.op === 'signInAnonymously')).toEqual([]);
		// Half imported by another job, then this file in full: the early requesters stop at the first conversation
		// found present (c2's guest is the one asked for in vain; c0 and c1 are new and need theirs).
		const mixed = new FakeApi();
		const all = conversations(6, 2, 'x');
		await run(mixed, all.slice(2), {concurrency: 1}, {journal: false});
		const from = mixed.calls.length;
		const whole = await run(mixed, all, {concurrency: 1}, {journal: false});
		expect(whole.totals.byStatus).toMatchObject({imported: 2, unchanged: 4});
		expect(mixed.calls.slice(from).filter((c) => c.op === 'signInAnonymously')).toHaveLength(3);
		expectExactlyOnce(mixed, all);
		// An early requester the conversation did not use ends before the run does: journaled, no call left over.
		const slow = new FakeApi();
		const pair = conversations(2, 2, 's');
		await run(slow, pair.slice(1), {}, {journal: false});
		slow.latencyOf = (op) => (op === 'signInAnonymously' ? 60 : 1);
		await run(slow, pair, {concurrency: 1});
		expect(slow.inFlight).toBe(0);
		expect(readFileSync(join(dir, 'journal.ndjson'), 'utf8').match(/"t":"guest"/g)).toHaveLength(2);
		// A dry run never writes, so it asks for no requester either.
		const fresh = new FakeApi();
		await run(fresh, conversations(6, 2, 'd'), {concurrency: 2, dryRun: true}, {journal: false});
		expect(fresh.calls.filter((c) => c.op !== 'getRequest')).toEqual([]);
	});
});

describe('ImportRun selection from a report', () => {
	it('retries only the given conversation ids', async () => {
		const api = new FakeApi();
		const drafts = conversations(4, 2);
		const e = engine(api, drafts, {}, {retryIds: new Set(['c2'])});
		const out = await e.start();
		expect(out.results.map((r) => r.sourceId)).toEqual(['c2']);
		expect(api.requests.size).toBe(1);
	});
});
