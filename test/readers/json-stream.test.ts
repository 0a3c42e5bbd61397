import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {streamJsonArray, type StreamedElement} from '../../source/core/readers/native/json-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'tdi-jsonstream-'));
let n = 0;
async function scan(content: string): Promise<StreamedElement[]> {
	const path = join(dir, `f${n++}.json`);
	writeFileSync(path, content);
	const out: StreamedElement[] = [];
	for await (const e of streamJsonArray(path)) out.push(e);
	return out;
}

describe('streamJsonArray', () => {
	it('yields each element of the conversations array with where it starts, skipping other keys', async () => {
		const text = '{\n  "meta": {"note": "a ] tricky \\" [ string", "list": [1, [2]]},\n  "conversations": [\n    {"id": "a"},\n    {"id": "b", "x": "}"}\n  ],\n  "after": true\n}\n';
		const out = await scan(text);
		expect(out).toEqual([
			{kind: 'element', index: 0, text: '{"id": "a"}', line: 4, column: 5},
			{kind: 'element', index: 1, text: '{"id": "b", "x": "}"}', line: 5, column: 5},
		]);
	});

	it('reads a bare array, with a BOM and scalar elements passed through for the reader to reject', async () => {
		const out = await scan('\uFEFF[{"id":1}, 7, "s"]');
		expect(out.map((e) => (e.kind === 'element' ? e.text : e.message))).toEqual(['{"id":1}', '7', '"s"']);
	});

	it('keeps an element whole across read chunks', async () => {
		const big = 'x'.repeat(700_000);
		const out = await scan(`[{"id":"a","t":"${big}"},{"id":"b"}]`);
		expect(out).toHaveLength(2);
		expect(JSON.parse((out[0] as {text: string}).text).t).toHaveLength(700_000);
	});

	it.each([
		['[{"id":"a"}\n {"id":"b"}]', /Expected "," or "\]" after element 0/, 2],
		['[{"id":"a"},\n', /Unexpected end of JSON input/, 2],
		['[{"id":"a"}] extra', /after the end of the JSON value/, 1],
		['{"other": []}', /"conversations" array/, 1],
		['hello', /Expected "\{" or "\["/, 1],
		['[{"id":"a"},]', /Unexpected "\]" after a comma/, 1],
	])('reports structural errors with a line: %j', async (text, message, line) => {
		const out = await scan(text);
		const error = out.find((e) => e.kind === 'error');
		expect(error).toMatchObject({kind: 'error', message: expect.stringMatching(message), line});
	});
});
