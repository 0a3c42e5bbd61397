// Mutation and property-based fuzzing of EVERY registered reader (allReaders, so readers added later are fuzzed
// too), seeded with the fixtures: truncation, Latin-1/UTF-16, huge lines, deep JSON nesting, binary junk, byte
// flips, line edits, field deletions and type changes, inside ZIP exports too. Each case goes through
// openTranscript (forced format and detection) and the preview command: no uncaught exception, no hang, every
// error reported with a location (see ./check.ts). Default: FUZZ_RUNS=12 cases per reader, seed FUZZ_SEED;
// FUZZ_RUNS=500 for a long run. FUZZ_SAVE=1 writes failing cases to test/fixtures/fuzz/ (replayed by
// ./regressions.test.ts).
import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {allReaders} from '../../source/core/readers/registry.js';
import {writeZip} from '../readers/vendor-a/helpers.js';
import {checkFile} from './check.js';
import {mutate, mutationsArbitrary, unit, type Mutation} from './mutate.js';
import {FIXTURES, seedsFor} from './seeds.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 12);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20251125);
const SAVE = process.env['FUZZ_SAVE'] === '1';

interface Failure {
	reader: string;
	seed: string;
	mutations: string;
	problems: string[];
	saved?: string;
}

const totals = {cases: 0, inputErrors: 0, notDetected: 0, read: 0, conversations: 0, findings: 0};

function describeMutations(ms: Mutation[]): string {
	return JSON.stringify(ms, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v));
}

describe('fuzzing every registered reader', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'tdi-fuzz-'));
	});
	afterAll(() => {
		rmSync(dir, {recursive: true, force: true});
		console.info(`[fuzz] seed ${SEED}, ${RUNS} per reader: ${totals.cases} cases over ${allReaders.length} readers — with the format forced ${totals.inputErrors} refused with a human error and ${totals.read} read (${totals.conversations} conversations, ${totals.findings} findings); with detection, ${totals.notDetected} not recognised (a human error naming the file)`);
	});

	it('covers every registered reader with at least one seed', () => {
		expect(allReaders.length).toBeGreaterThanOrEqual(15);
		for (const reader of allReaders) expect(seedsFor(reader).length, reader.id).toBeGreaterThan(0);
	});

	describe.each(allReaders.map((r) => [r.id, r] as const))('%s', (id, reader) => {
		it(`survives ${RUNS} mutated inputs: no exception, no hang, errors with locations`, async () => {
			const seeds = seedsFor(reader);
			const failures: Failure[] = [];
			let n = 0;
			await fc.assert(
				fc.asyncProperty(fc.nat(seeds.length - 1), mutationsArbitrary(), fc.boolean(), unit, fc.boolean(), async (s, mutations, inside, entry, json) => {
					const seed = seeds[s]!;
					let bytes: Buffer;
					if (seed.zip) {
						const names = Object.keys(seed.zip);
						if (inside && names.length > 0) {
							const name = names[Math.floor(entry * names.length)]!;
							const entries = {...seed.zip, [name]: mutations.reduce((b, m) => mutate(b, m), seed.zip[name]!)};
							bytes = writeZipBuffer(entries);
						} else bytes = mutations.reduce((b, m) => mutate(b, m), writeZipBuffer(seed.zip));
					} else bytes = mutations.reduce((b, m) => mutate(b, m), seed.bytes!);
					const path = join(dir, `${id}-${n++}.${seed.ext}`);
					writeFileSync(path, bytes);
					const result = await checkFile(path, id, {json});
					rmSync(path, {force: true});
					totals.cases++;
					if (result.outcome === 'input-error') totals.inputErrors++;
					if (result.detected === 'input-error') totals.notDetected++;
					else totals.read++;
					totals.conversations += result.conversations;
					totals.findings += result.findings;
					if (result.problems.length > 0) {
						const failure: Failure = {reader: id, seed: seed.name, mutations: describeMutations(mutations), problems: result.problems.map((p) => p.split('\n').slice(0, 2).join(' | '))};
						if (SAVE) {
							const folder = join(FIXTURES, 'fuzz');
							mkdirSync(folder, {recursive: true});
							const name = `${id}--${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.${seed.ext}`;
							writeFileSync(join(folder, name), bytes);
							failure.saved = name;
						}
						failures.push(failure);
					}
				}),
				{numRuns: RUNS, seed: SEED + allReaders.indexOf(reader)},
			);
			expect(failures).toEqual([]);
		}, Math.max(60_000, RUNS * 4_000));
	});
});

/** writeZip writes to a path; fuzzing wants the bytes. */
function writeZipBuffer(entries: Record<string, Buffer>): Buffer {
	const path = join(tmpdir(), `tdi-fuzz-zip-${process.pid}-${Math.random().toString(36).slice(2)}.zip`);
	writeZip(path, entries);
	const bytes = readFileSyncAndRemove(path);
	return bytes;
}

function readFileSyncAndRemove(path: string): Buffer {
	const bytes = readFileSync(path);
	rmSync(path, {force: true});
	return bytes;
}
