// Property: random transcripts serialized to each native format and read back are equal (after normalization).
import fc from 'fast-check';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Conversation} from '../../source/core/model/transcript.js';
import {openTranscript} from '../../source/core/transcript/load.js';

const dir = mkdtempSync(join(tmpdir(), 'tdi-roundtrip-'));
let n = 0;

const text = fc.string({minLength: 1, maxLength: 40, unit: fc.constantFrom(...Array.from('abcxyz éü,;"\'\t\n😊{}$'))}).filter((s) => s.trim() !== '' && !/\$\{/.test(s));
const id = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,11}$/);
const role = fc.constantFrom('end-user', 'agent', 'bot', 'system');
const message = fc.record({senderId: id, senderName: fc.stringMatching(/^[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?$/), role, text, timestamp: fc.integer({min: 1_000_000_000_000, max: 1_800_000_000_000})});
// Times increase within a conversation (out-of-order input is a warning, tested in the normalizer's tests).
const ordered = fc.array(message, {minLength: 1, maxLength: 6}).map((ms) => ms.map((m, i) => ({...m, timestamp: ms[0]!.timestamp + i * 61_000 + (m.timestamp % 60_000)})));
const transcript = fc.uniqueArray(fc.record({id, messages: ordered}), {minLength: 1, maxLength: 5, selector: (c) => c.id});

type T = {id: string; messages: {senderId: string; senderName: string; role: string; text: string; timestamp: number}[]}[];

const csvCell = (v: string) => `"${v.replaceAll('"', '""')}"`;
const serializers: Record<string, (t: T) => string> = {
	json: (t) => JSON.stringify({conversations: t.map((c) => ({...c, messages: c.messages.map((m) => ({...m, timestamp: new Date(m.timestamp).toISOString()}))}))}),
	jsonl: (t) => t.flatMap((c) => c.messages.map((m) => JSON.stringify({conversationId: c.id, ...m}))).join('\n'),
	csv: (t) =>
		['conversation_id,timestamp,sender_id,sender_name,role,text', ...t.flatMap((c) => c.messages.map((m) => [c.id, String(m.timestamp), m.senderId, m.senderName, m.role, m.text].map(csvCell).join(',')))].join('\n'),
};

async function readBack(path: string, format: string): Promise<Conversation[]> {
	const open = await openTranscript(path, {format, timezone: 'UTC', now: Date.UTC(2030, 0, 1)});
	const out: Conversation[] = [];
	for await (const item of open.items()) {
		expect(item.findings.filter((f) => f.severity !== 'info')).toEqual([]);
		if (item.conversation) out.push(item.conversation);
	}
	return out;
}

const essence = (conversations: Conversation[]) =>
	conversations.map((c) => ({id: c.id, messages: c.messages.map((m) => ({senderId: m.senderId, senderName: m.senderName, role: m.role, text: m.text, timestamp: m.timestamp}))}));

describe.each(Object.keys(serializers))('round trip through %s', (format) => {
	it('reads back what was written', async () => {
		await fc.assert(
			fc.asyncProperty(transcript, async (t) => {
				const path = join(dir, `t${n++}.${format}`);
				writeFileSync(path, serializers[format]!(t));
				const back = await readBack(path, format);
				expect(essence(back)).toEqual(t.map((c) => ({id: c.id, messages: c.messages.map((m) => ({...m, text: m.text.replace(/\r\n?/g, '\n')}))})));
			}),
			{numRuns: 60},
		);
	});
});
