import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {ReadItem} from '../../source/core/model/draft.js';
import {detectFormat, InputError} from '../../source/core/readers/detect.js';
import {csvReader} from '../../source/core/readers/native/csv.js';
import {parseMapFlag} from '../../source/core/readers/native/csv-mapping.js';
import {jsonReader} from '../../source/core/readers/native/json.js';
import {jsonlReader} from '../../source/core/readers/native/jsonl.js';
import type {FormatReader, ReadOptions} from '../../source/core/readers/types.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'native');
const samples = join(import.meta.dirname, '..', '..', 'samples');
const dir = mkdtempSync(join(tmpdir(), 'tdi-native-'));
const write = (name: string, content: string) => {
	const path = join(dir, name);
	writeFileSync(path, content);
	return path;
};
async function collect(reader: FormatReader, path: string, options: ReadOptions = {}) {
	const items: ReadItem[] = [];
	for await (const item of reader.read(path, options)) items.push(item);
	return {
		drafts: items.flatMap((i) => (i.kind === 'conversation' ? [i.draft] : [])),
		findings: items.flatMap((i) => (i.kind === 'finding' ? [i.finding] : [])),
	};
}

describe('JSON reader', () => {
	it('reports a syntax error with line and column', async () => {
		const path = join(fixtures, 'broken.json');
		const {drafts, findings} = await collect(jsonReader, path);
		expect(drafts).toEqual([]);
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({severity: 'error', code: 'unparsable', location: {file: path, line: 7}});
		expect(findings[0]!.location!.column).toBeGreaterThan(40);
	});

	it('accepts a bare array and reports wrong shapes with their JSON path', async () => {
		const path = write('bare.json', JSON.stringify([{id: 'a', messages: [{senderId: 'u', role: 'end-user', text: 7}]}, {id: 'b', messages: 'no'}]));
		const {drafts, findings} = await collect(jsonReader, path);
		expect(drafts.map((d) => d.id)).toEqual(['a', 'b']);
		expect(findings.map((f) => f.location?.path)).toEqual(['$[0].messages[0].text', '$[1].messages']);
	});
});

describe('JSONL reader', () => {
	it('groups interleaved message lines and reports a bad line by number', async () => {
		const lines = [
			JSON.stringify({conversationId: 'A', senderId: 'u', role: 'end-user', text: 'a1'}),
			JSON.stringify({conversationId: 'B', senderId: 'v', role: 'end-user', text: 'b1'}),
			'{not json',
			JSON.stringify({conversationId: 'A', senderId: 'x', role: 'agent', text: 'a2'}),
			JSON.stringify({id: 'C', messages: [{senderId: 'w', role: 'end-user', text: 'c1'}]}),
		];
		const {drafts, findings} = await collect(jsonlReader, write('mixed.jsonl', lines.join('\n')));
		expect(drafts.map((d) => [d.id, d.messages.map((m) => m.text)])).toEqual([
			['A', ['a1', 'a2']],
			['B', ['b1']],
			['C', ['c1']],
		]);
		expect(findings).toEqual([expect.objectContaining({code: 'unparsable', location: expect.objectContaining({line: 3})})]);
		expect(drafts[0]!.messages[1]!.location.line).toBe(4);
	});
});

describe('CSV reader', () => {
	it('reports a row with an unquoted comma by its line and keeps the other rows intact', async () => {
		const path = join(fixtures, 'unquoted-comma.csv');
		const {drafts, findings} = await collect(csvReader, path);
		expect(findings).toEqual([expect.objectContaining({code: 'column-count', severity: 'error', location: {file: path, line: 5}})]);
		const texts = drafts[0]!.messages.map((m) => m.text);
		expect(texts).toEqual(['Hi there', 'Hello,\nhow can I help?', 'The blue one']);
		// A record with a quoted newline is located at the line where it starts.
		expect(drafts[0]!.messages.map((m) => m.location.line)).toEqual([2, 3, 6]);
	});

	it('handles a BOM, semicolons and tabs', async () => {
		const semi = write('semi.csv', '\uFEFFchat_id;date;from;type;body\nX;2025-01-01 10:00;u;visitor;hola\n');
		const tsv = write('tab.tsv', 'conversation\ttime\tauthor\trole\ttext\nY\t1700000000\tu\tuser\thi\n');
		expect((await collect(csvReader, semi)).drafts[0]).toMatchObject({id: 'X', messages: [{senderId: 'u', role: 'visitor', text: 'hola'}]});
		expect((await collect(csvReader, tsv)).drafts[0]).toMatchObject({id: 'Y', messages: [{timestamp: '1700000000', text: 'hi'}]});
	});

	it('uses an explicit mapping and explains a mapping that cannot work', async () => {
		const path = write('odd.csv', 'Case,Said,Who\nK1,hello,u1\n');
		const mapped = await collect(csvReader, path, {columnMap: parseMapFlag('conversationId=Case,text=Said,senderId=Who')});
		expect(mapped.drafts[0]).toMatchObject({id: 'K1', messages: [{text: 'hello', senderId: 'u1'}]});
		const unmapped = await collect(csvReader, path);
		expect(unmapped.findings[0]).toMatchObject({code: 'missing-column', location: {line: 1}});
		expect(unmapped.findings[0]!.message).toContain('--map');
		expect(() => parseMapFlag('colour=Red')).toThrow(/unknown field "colour"/);
	});
});

describe('detection', () => {
	it('recognises each sample by content', async () => {
		expect((await detectFormat(join(samples, 'support-chats.json'))).reader.id).toBe('json');
		expect((await detectFormat(join(samples, 'support-chats.jsonl'))).reader.id).toBe('jsonl');
		expect((await detectFormat(join(samples, 'support-chats.csv'))).reader.id).toBe('csv');
		expect((await detectFormat(join(samples, 'helpdesk-export.csv'))).reader.id).toBe('csv');
		// Content wins over a misleading extension.
		expect((await detectFormat(write('really-jsonl.txt', '{"conversationId":"a","text":"x"}\n{"conversationId":"a","text":"y"}\n'))).reader.id).toBe('jsonl');
	});

	it('gives human errors for missing, empty, unknown and folder inputs', async () => {
		await expect(detectFormat(join(dir, 'nope.json'))).rejects.toThrow(InputError);
		await expect(detectFormat(write('empty.json', ''))).rejects.toThrow(/is empty/);
		await expect(detectFormat(write('noise.bin', '\u0000\u0001garbage'))).rejects.toThrow(/format not recognised/);
		await expect(detectFormat(dir)).rejects.toThrow(/is a folder/);
		await expect(detectFormat(join(samples, 'support-chats.json'), {format: 'fax'})).rejects.toThrow(/unknown format "fax"/);
	});
});
