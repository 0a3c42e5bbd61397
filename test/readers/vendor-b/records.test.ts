import {describe, expect, it} from 'vitest';
import {readJsonRecords, topLevelArrayKeys, type RecordItem} from '../../../source/core/readers/vendor-b/records.js';
import {write} from './helpers.js';

async function all(path: string, wrappers = ['tickets'], sideloads: string[] = []): Promise<RecordItem[]> {
	const out: RecordItem[] = [];
	for await (const item of readJsonRecords(path, {wrappers, sideloads})) out.push(item);
	return out;
}

const records = (items: RecordItem[]) => items.filter((i) => i.kind === 'record').map((i) => (i.kind === 'record' ? i.record : undefined)!);

describe('readJsonRecords', () => {
	it('streams a bare array with each element line, column and path, and locates values inside', async () => {
		const path = write('a.json', '[\n  {"id": 1, "comments": [\n    {"b": "x"},\n    {"b": "y"}\n  ]},\n  {"id": 2}\n]\n');
		const r = records(await all(path));
		expect(r.map((x) => [x.path, x.location.line, x.location.column])).toEqual([
			['$[0]', 2, 3],
			['$[1]', 6, 3],
		]);
		expect(r[0]!.at(['comments', 1])).toEqual({file: path, line: 4, column: 5, path: '$[0].comments[1]'});
		expect(r[0]!.at(['nope'])).toMatchObject({line: 2, path: '$[0].nope'});
	});

	it('streams a wrapper page and delivers sideloads first, even when they follow the array', async () => {
		const path = write('p.json', '{"count": 2,\n "tickets": [{"id": 1},\n {"id": 2}],\n "users": [{"id": 9, "name": "U"}]}');
		const items = await all(path, ['tickets'], ['users']);
		expect(items.map((i) => i.kind)).toEqual(['sideload', 'record', 'record']);
		expect(items[0]).toEqual({kind: 'sideload', key: 'users', values: [{id: 9, name: 'U'}]});
		expect(records(items).map((x) => [x.path, x.location.line])).toEqual([
			['$.tickets[0]', 2],
			['$.tickets[1]', 3],
		]);
	});

	it('parses whole a single record, and a wrapper whose array starts after the first 64 KiB', async () => {
		const single = records(await all(write('s.json', '{\n "id": 5,\n "comments": [{"x": 1}]\n}')));
		expect(single).toHaveLength(1);
		expect(single[0]!.path).toBe('$');
		expect(single[0]!.at(['comments', 0])).toMatchObject({line: 3, column: 15, path: '$.comments[0]'});
		const late = write('late.json', `{"padding": "${'x'.repeat(70_000)}",\n"tickets": [{"id": 1}, {"id": 2}]}`);
		expect(records(await all(late)).map((x) => [x.path, x.location.line])).toEqual([
			['$.tickets[0]', 2],
			['$.tickets[1]', 2],
		]);
	});

	it('reads JSON lines, expands a page per line, and skips a bad line with its number', async () => {
		const path = write('l.jsonl', '{"id": 1}\n\n{"tickets": [{"id": 2}, {"id": 3}]}\n{"id": 4, "x": tru}\n{"id": 5}\n');
		const items = await all(path);
		expect(records(items).map((x) => [x.value, x.path, x.location.line])).toEqual([
			[{id: 1}, '$', 1],
			[{id: 2}, '$.tickets[0]', 3],
			[{id: 3}, '$.tickets[1]', 3],
			[{id: 5}, '$', 5],
		]);
		const bad = items.find((i) => i.kind === 'finding');
		expect(bad).toMatchObject({kind: 'finding', finding: {severity: 'error', code: 'unparsable', location: {file: path, line: 4, column: 16}}});
	});

	it('reports a truncated array at its end, after the complete elements', async () => {
		const path = write('t.json', '[{"id": 1},\n {"id": 2, "b": "cut');
		const items = await all(path);
		expect(records(items)).toHaveLength(1);
		const last = items.at(-1)!;
		expect(last.kind === 'finding' && last.finding.message).toMatch(/t\.json ends too early at line 2, column \d+: the file is truncated/);
	});

	it('reports a malformed element and goes on with the next', async () => {
		const path = write('m.json', '[{"id": 1},\n {"id": 2, "b": x},\n {"id": 3}]');
		const items = await all(path);
		expect(records(items).map((x) => x.value)).toEqual([{id: 1}, {id: 3}]);
		expect(items.find((i) => i.kind === 'finding')).toMatchObject({finding: {code: 'unparsable', location: {line: 2, column: 17}}});
	});

	it('refuses text that is not JSON, and an unreadable path, without throwing', async () => {
		const text = await all(write('x.json', 'hello'));
		expect(text).toMatchObject([{kind: 'finding', finding: {code: 'unparsable', location: {line: 1}}}]);
		const missing = await all('/nonexistent/file.json');
		expect(missing).toMatchObject([{kind: 'finding', finding: {code: 'unreadable-file'}}]);
	});

	it('finds the array-valued keys of the top-level object only', () => {
		expect(topLevelArrayKeys('{"a": 1, "tickets": [ {"users": []} ], "s": "x\\"y", "users": [1')).toEqual(['tickets', 'users']);
		expect(topLevelArrayKeys('[{"tickets": []}]')).toEqual([]);
	});
});
