// Replays the fuzzing regression corpus (test/fixtures/fuzz/<reader id>--<what>.<ext>): inputs that once broke a
// reader or the preview. Each must now pass the same oracle as the fuzzer (./check.ts): no exception, no hang,
// errors with locations. Inputs for bugs that are reported but not fixed yet are listed in OPEN with the owner;
// they are expected to fail (it.fails), so the fix turns them red here until they are moved out of OPEN.
import {readdirSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readerById} from '../../source/core/readers/registry.js';
import {checkFile} from './check.js';
import {FIXTURES} from './seeds.js';

const CORPUS = join(FIXTURES, 'fuzz');

/** Reported, not yet fixed (file → where the fix belongs). */
const OPEN: Record<string, string> = {
};

const files = readdirSync(CORPUS).filter((f) => f.includes('--')).sort();

describe('fuzzing regression corpus', () => {
	it('holds inputs for known readers only', () => {
		expect(files.length).toBeGreaterThan(0);
		for (const f of files) expect(readerById(f.split('--')[0]!), f).toBeDefined();
		for (const f of Object.keys(OPEN)) expect(files, `OPEN lists ${f}, which is not in the corpus`).toContain(f);
	});

	for (const file of files) {
		const reader = file.split('--')[0]!;
		const test = OPEN[file] ? it.fails : it;
		test(`${file}${OPEN[file] ? ` (open: ${OPEN[file]})` : ''}`, async () => {
			const result = await checkFile(join(CORPUS, file), reader, {deadlineMs: 15_000});
			expect(result.problems.map((p) => p.split('\n')[0])).toEqual([]);
		}, 30_000);
	}
});
