import {describe, expect, it} from 'vitest';
import {lineColumnAt, parseJsonText} from '../../../source/core/readers/vendor-a/json-file.js';

describe('parseJsonText', () => {
	it('parses valid JSON and strips a BOM', () => {
		expect(parseJsonText('\uFEFF{"a":[1]}', 'f.json')).toMatchObject({ok: true, value: {a: [1]}});
	});
	it('names line and column of a syntax error in the middle', () => {
		const result = parseJsonText('{\n  "a": 1,\n  "b": ,\n  "c": 3\n}', 'f.json');
		expect(result).toEqual({
			ok: false,
			finding: {severity: 'error', code: 'unparsable', message: 'f.json is not valid JSON: a missing value (or a trailing comma) at line 3, column 8.', location: {file: 'f.json', line: 3, column: 8}},
		});
	});
	it('reports a trailing comma and comments as errors (strict JSON)', () => {
		expect(parseJsonText('[1,2,]', 'f.json').ok).toBe(false);
		expect(parseJsonText('// x\n[1]', 'f.json').ok).toBe(false);
	});
	it('says when the file is truncated or empty', () => {
		const cut = parseJsonText('[{"a": 1},\n{"b"', 'f.json');
		expect(cut.ok ? '' : cut.finding.message).toBe('f.json ends too early at line 2, column 5: the file is truncated (export or copy it again).');
		const empty = parseJsonText('  \n', 'f.json');
		expect(empty.ok ? '' : empty.finding.message).toBe('f.json is empty: expected JSON.');
	});
	it('computes 1-based line and column', () => {
		expect(lineColumnAt('ab\ncd', 0)).toEqual({line: 1, column: 1});
		expect(lineColumnAt('ab\ncd', 4)).toEqual({line: 2, column: 2});
	});
});
