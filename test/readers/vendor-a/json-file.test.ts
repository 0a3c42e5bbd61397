import {describe, expect, it} from 'vitest';
import {lineColumnAt, MAX_JSON_DEPTH, parseJsonText, tooDeepAt} from '../../../source/core/readers/vendor-a/json-file.js';

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
	it('refuses nesting deeper than MAX_JSON_DEPTH with a location instead of overflowing the stack (valid or not)', () => {
		const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
		expect(parseJsonText(`{"a": ${deep(MAX_JSON_DEPTH - 1)}}`, 'f.json').ok).toBe(true);
		for (const text of [`{"a":\n ${deep(50_000)}}`, `{"a":\n ${deep(50_000)}, x}`, `{"a":\n ${'['.repeat(50_000)}`]) {
			const result = parseJsonText(text, 'f.json');
			expect(result).toEqual({
				ok: false,
				finding: {
					severity: 'error',
					code: 'unparsable',
					message: `f.json is nested more than ${MAX_JSON_DEPTH} levels deep at line 2, column ${MAX_JSON_DEPTH + 1}: not an export this tool can read.`,
					location: {file: 'f.json', line: 2, column: MAX_JSON_DEPTH + 1},
				},
			});
		}
		// Brackets inside strings (escaped quotes too) do not count.
		expect(tooDeepAt(`["${'['.repeat(5000)}\\"${'{'.repeat(5000)}"]`)).toBe(-1);
	});
	it('computes 1-based line and column', () => {
		expect(lineColumnAt('ab\ncd', 0)).toEqual({line: 1, column: 1});
		expect(lineColumnAt('ab\ncd', 4)).toEqual({line: 2, column: 2});
	});
});
