// The wizard's preview data over the transcript catalog: a big native file shows its first page while it is still
// read, grows (announcing changes), and any conversation is read again by its byte ranges; search and findings.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openTranscript} from '../../source/core/transcript/load.js';
import {openPreview, scanForPreview} from '../../source/ui/wizard/preview-data.js';

const CONVERSATIONS = 30_000;
let dir: string;
let big: string;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'tdi-preview-data-'));
	big = join(dir, 'big.jsonl');
	const lines: string[] = [];
	for (let c = 0; c < CONVERSATIONS; c++) {
		for (let m = 0; m < 3; m++) {
			lines.push(JSON.stringify({conversationId: `conv-${c}`, senderId: m === 1 ? 'agent-1' : `cust-${c}`, senderName: m === 1 ? 'Agent One' : `Customer ${c}`, role: m === 1 ? 'agent' : 'end-user', text: `message ${m} of ${c}`, timestamp: 1_700_000_000_000 + c * 60_000 + m * 1000}));
		}
	}
	// One broken line, to be found with its line number.
	lines.splice(1000, 0, '{"conversationId": "conv-3", "text": ');
	writeFileSync(big, `${lines.join('\n')}\n`);
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('preview data (catalog-backed)', () => {
	it('shows the first page before the whole file is read, then grows to all of it, announcing changes', async () => {
		const options = {timezone: 'UTC'};
		const preview = await openPreview(await openTranscript(big, options), options, {intervalMs: 10});
		let announced = 0;
		const stop = preview.subscribe(() => announced++);
		await preview.waitFor(50);
		expect(preview.size()).toBeGreaterThanOrEqual(50);
		expect(preview.complete()).toBe(false);
		expect(preview.entry(0)).toMatchObject({index: 0, id: 'conv-0'});
		// A conversation found early is readable before the scan ends (by its byte ranges).
		const early = await preview.readConversation(7);
		expect(early?.conversation.messages.map((m) => m.text)).toEqual(['message 0 of 7', 'message 1 of 7', 'message 2 of 7']);
		await preview.done;
		stop();
		expect(preview.complete()).toBe(true);
		expect(announced).toBeGreaterThan(1);
		expect(preview.version()).toBeGreaterThanOrEqual(announced);
		expect(preview.size()).toBe(CONVERSATIONS);
		expect(preview.summary()).toMatchObject({conversations: CONVERSATIONS, messages: CONVERSATIONS * 3 - 0});
		expect(preview.entry(CONVERSATIONS - 1)).toMatchObject({id: `conv-${CONVERSATIONS - 1}`, messages: 3, requester: `Customer ${CONVERSATIONS - 1}`, validated: true, errors: 0});
		const last = await preview.readConversation(CONVERSATIONS - 1);
		expect(last?.conversation.messages.map((m) => m.senderName)).toEqual([`Customer ${CONVERSATIONS - 1}`, 'Agent One', `Customer ${CONVERSATIONS - 1}`]);
		// Conversations opened quickly one after the other (reads at once) each get their own bytes.
		const many = [29_999, 5, 17_000, 5, 12_345];
		const read = await Promise.all(many.map((i) => preview.readConversation(i)));
		expect(read.map((r) => r?.conversation.id)).toEqual(many.map((i) => `conv-${i}`));
		expect(read.map((r) => r?.conversation.messages[2]?.text)).toEqual(many.map((i) => `message 2 of ${i}`));
		// Search: ids, requesters; empty = everything, without an array of every row.
		expect(preview.search('').length).toBe(CONVERSATIONS);
		expect(preview.search('').slice(5, 8)).toEqual([5, 6, 7]);
		const hits = preview.search('conv-2999');
		expect([...hits.slice(0, hits.length)].map((i) => preview.entry(i)!.id).sort()).toEqual(['conv-2999', 'conv-29990', 'conv-29991', 'conv-29992', 'conv-29993', 'conv-29994', 'conv-29995', 'conv-29996', 'conv-29997', 'conv-29998', 'conv-29999']);
		expect(preview.search('CUSTOMER 12345').slice(0, 10)).toEqual([12345]);
		expect(preview.indexOf('conv-42')).toBe(42);
		// The broken line is a finding with its line.
		expect(preview.findings()).toEqual(expect.arrayContaining([expect.objectContaining({severity: 'error', code: 'unparsable', location: expect.objectContaining({line: 1001})})]));
		await preview.close();
	});

	it('scanForPreview reads to the end; an aborted scan ends incomplete', async () => {
		const small = join(dir, 'small.json');
		writeFileSync(small, JSON.stringify({conversations: [{id: 'a', messages: [{senderId: 'u', role: 'end-user', text: 'hi', timestamp: '2025-01-01T00:00:00Z'}]}]}));
		const preview = await scanForPreview(await openTranscript(small, {}));
		expect(preview.complete()).toBe(true);
		expect(preview.size()).toBe(1);
		const aborted = new AbortController();
		aborted.abort();
		const stopped = await scanForPreview(await openTranscript(big, {}), {signal: aborted.signal});
		expect(stopped.complete()).toBe(false);
		expect(stopped.size()).toBeLessThan(CONVERSATIONS);
	});
});
