// Pass 1 of the JSONL reader reads most lines' conversation id from the bytes (ChunkIds in jsonl-line.ts) instead
// of parsing them. These lines are built to fool such a shortcut; the reader must group them exactly as parsing
// every line would, whatever the chunk size (chunk ends inside lines and inside ids).
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {conversationIdOf, isObject} from '../../source/core/readers/native/fields.js';
import {jsonlScan} from '../../source/core/readers/native/jsonl.js';
import {openTranscript} from '../../source/core/transcript/load.js';

const dir = mkdtempSync(join(tmpdir(), 'tdi-jsonl-fast-'));
const m = (conversationId: string, text: string, extra = '') => `{"conversationId":"${conversationId}","senderId":"u","role":"end-user","text":"${text}","timestamp":"2024-01-01T00:00:00Z"${extra}}`;

const LINES = [
	'\uFEFF' + m('a', 'first'),
	m('b', 'b1'),
	m('a', 'second key wins', ',"conversationId":"b"'),
	m('a', 'escaped name', ',"conversation\\u0049d":"c"'),
	m('\\u0064', 'escaped id (d)'),
	m('a', 'he said \\"conversationId\\":\\"b\\"'),
	m('a', 'a value naming the key', ',"note":"conversationId"'),
	m('a', 'messages not an array', ',"messages":"no"'),
	'{"id":"e","messages":[{"senderId":"s","role":"agent","text":"conversation line","timestamp":"2024-01-01T00:01:00Z"}]}',
	m('é1', 'non-ASCII id'),
	`  ${m('a', 'padded')}\t `,
	m('b', 'crlf') + '\r',
	m('a', 'broken"', ''), // a quote inside the text: not valid JSON
	m('a', 'x').slice(0, -1), // no closing brace
	m('a', 'y') + '{"x":1}', // two objects on one line
	'{"conversation_id":"f","conversationId":"b","senderId":"u","role":"agent","text":"alias and key"}',
	'',
	'   ',
	'[1,2]',
	m('a', 'long '.repeat(400)),
	m('b', 'last, no line end'),
];

/** What parsing every line gives: conversation ids in first-appearance order, texts in file order, bad lines. */
function reference(lines: string[]) {
	const order: string[] = [];
	const texts = new Map<string, string[]>();
	const bad: number[] = [];
	lines.forEach((raw, i) => {
		const line = (i === 0 ? raw.replace(/^\uFEFF/, '') : raw).replace(/\r$/, '');
		if (line.trim() === '') return;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			bad.push(i + 1);
			return;
		}
		if (!isObject(value)) return void bad.push(i + 1);
		const messages = value['messages'];
		const id = Array.isArray(messages) ? String(value['id']) : conversationIdOf(value);
		if (id === undefined) return void bad.push(i + 1);
		if (!texts.has(id)) {
			order.push(id);
			texts.set(id, []);
		}
		const own = Array.isArray(messages) ? (messages as {text: string}[]).map((x) => x.text) : [String(value['text'])];
		texts.get(id)!.push(...own);
	});
	return {conversations: order.map((id) => ({id, texts: texts.get(id)})), bad: bad.sort((x, y) => x - y)};
}

async function read(path: string) {
	const open = await openTranscript(path, {format: 'jsonl', timezone: 'UTC', now: Date.UTC(2030, 0, 1)});
	const conversations: {id: string; texts: string[]}[] = [];
	const findings: {code: string; line?: number}[] = [];
	for await (const item of open.items()) {
		if (item.conversation) conversations.push({id: item.conversation.id, texts: item.conversation.messages.map((x) => x.text)});
		for (const f of item.findings) if (f.severity !== 'info') findings.push({code: f.code, line: f.location?.line});
	}
	return {conversations, findings};
}

describe('JSONL pass 1 fast path', () => {
	afterEach(() => {
		jsonlScan.chunkSize = 1 << 20;
	});

	const path = join(dir, 'tricky.jsonl');
	writeFileSync(path, LINES.join('\n'));
	const expected = reference(LINES);

	it.each([1 << 20, 4096, 97, 16])('groups every line as JSON.parse does (chunks of %i bytes)', async (chunkSize) => {
		jsonlScan.chunkSize = chunkSize;
		const got = await read(path);
		expect(got.conversations).toEqual(expected.conversations);
		const badLines = got.findings.filter((f) => f.code === 'unparsable' || f.code === 'invalid-record').map((f) => f.line!);
		expect(badLines.sort((x, y) => x - y)).toEqual(expected.bad);
	});

	it('reports the same findings in the same order whatever the chunk size', async () => {
		const big = await read(path);
		jsonlScan.chunkSize = 16;
		expect(await read(path)).toEqual(big);
	});
});
