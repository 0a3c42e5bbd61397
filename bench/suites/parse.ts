/**
 * Parse + validate throughput per size and format: reading the whole transcript through `openTranscript().items()`
 * into a SummaryBuilder (every conversation normalized, every finding), as `preview` and the import do, next to the
 * ceiling for the same file (../lib/ceilings.ts).
 */
import {bareCsvParse, bareJsonLines, bareJsonLinesEachDecoded, bareJsonParse} from '../lib/ceilings.js';
import {alternate, fmt, summarize} from '../lib/stats.js';
import type {Suite, SuiteResult, Table} from '../lib/types.js';
import {FORMATS, generated, sizeLabel, type BenchFormat} from '../generate.js';
import {openTranscript} from '../../source/core/transcript/load.js';
import {SummaryBuilder} from '../../source/core/transcript/summary.js';

const CEILING: Record<BenchFormat, string> = {
	csv: 'csv-parse pass',
	jsonl: 'line-by-line JSON.parse',
	json: 'JSON.parse of the whole file',
};
/** Above this the whole-file JSON.parse ceiling is not attempted (V8's string limit is ~512 MB). */
const JSON_CEILING_MAX_BYTES = 400 * 1024 * 1024;

export const parseSuite: Suite = {
	name: 'parse',
	tasks: {
		async 'parse:ceiling'(args) {
			const path = String(args['path']);
			const format = args['format'] as BenchFormat;
			const messages = format === 'csv' ? await bareCsvParse(path) : format === 'jsonl' ? await bareJsonLines(path) : await bareJsonParse(path);
			return {messages};
		},
		async 'parse:lines-each-decoded'(args) {
			return {messages: await bareJsonLinesEachDecoded(String(args['path']))};
		},
		async 'parse:validate'(args) {
			const transcript = await openTranscript(String(args['path']), {timezone: 'UTC'});
			const builder = new SummaryBuilder();
			for await (const item of transcript.items()) builder.add(item);
			const s = builder.result();
			return {messages: s.messages, conversations: s.conversations, errors: s.errors, warnings: s.warnings};
		},
	},
	async run(ctx): Promise<SuiteResult> {
		const table: Table = {
			columns: ['Messages', 'Format', 'File MB', 'Ceiling', 'Ceiling time', 'Ceiling MB/s', 'Ours time', 'Ours MB/s', 'Ours msg/s', 'Ratio (wall)', 'Ratio (CPU)', 'Peak RSS ours MB', 'Peak RSS ceiling MB'],
			rows: [],
		};
		const notes: string[] = [];
		const largest = Math.max(...ctx.sizes);
		for (const size of ctx.sizes) {
			for (const format of FORMATS) {
				const file = generated(ctx.dataDir, format, size);
				ctx.log(`parse: ${sizeLabel(size)} ${format} (${fmt.mb(file.bytes)} MB) × ${ctx.repeat}`);
				const skipCeiling = format === 'json' && file.bytes > JSON_CEILING_MAX_BYTES;
				const [ceilingRuns, oursRuns] = await alternate(
					ctx.repeat,
					() => (skipCeiling ? Promise.resolve({ms: Number.NaN, cpuMs: Number.NaN, maxRssMB: Number.NaN}) : ctx.child('parse:ceiling', {path: file.path, format})),
					() => ctx.child('parse:validate', {path: file.path}),
				);
				const ceiling = summarize(ceilingRuns);
				const ours = summarize(oursRuns);
				if (ours.last['messages'] !== size) throw new Error(`validate read ${String(ours.last['messages'])} messages of ${size} in ${file.path}`);
				const mb = file.bytes / 1_048_576;
				const ratio = ours.ms / ceiling.ms;
				const cpuRatio = ours.cpuMs / ceiling.cpuMs;
				table.rows.push([
					sizeLabel(size),
					format.toUpperCase(),
					mb.toFixed(1),
					CEILING[format],
					skipCeiling ? '—' : fmt.ms(ceiling.ms),
					skipCeiling ? '—' : (mb / (ceiling.ms / 1000)).toFixed(1),
					fmt.ms(ours.ms),
					(mb / (ours.ms / 1000)).toFixed(1),
					fmt.rate(size / (ours.ms / 1000)),
					skipCeiling ? '—' : fmt.ratio(ratio),
					skipCeiling ? '—' : fmt.ratio(cpuRatio),
					ours.maxRssMB.toFixed(0),
					skipCeiling ? '—' : ceiling.maxRssMB.toFixed(0),
				]);
				if (size === largest && format !== 'json') {
					const target = ratio <= 1.5 ? 'within' : 'OVER';
					notes.push(
						`${sizeLabel(size)} ${format.toUpperCase()} (${mb.toFixed(0)} MB): full validation ${fmt.ms(ours.ms)} vs ${CEILING[format]} ${fmt.ms(ceiling.ms)} → ${fmt.ratio(ratio)} wall, ${fmt.ratio(cpuRatio)} CPU (target ≤ 1.5×: ${target}); peak RSS ${ours.maxRssMB.toFixed(0)} MB (target ≤ 250 MB${ours.maxRssMB <= 250 ? '' : ': OVER'}).`,
					);
					if (format === 'jsonl') {
						const runs = [];
						for (let i = 0; i < ctx.repeat; i++) runs.push(await ctx.child('parse:lines-each-decoded', {path: file.path}));
						const reference = summarize(runs);
						notes.push(
							`${sizeLabel(size)} JSONL, for reference: a bare pass that decodes each line on its own (\`Buffer#indexOf\` and \`toString\` per line, then \`JSON.parse\`) takes ${fmt.ms(reference.ms)} (median of ${ctx.repeat}), ${fmt.ratio(reference.ms / ceiling.ms)} of the line-by-line ceiling: most lines then become one-byte strings, where a 1 MiB chunk holding one emoji is decoded as a two-byte string and so are all its slices. Against that pass full validation is ${fmt.ratio(ours.ms / reference.ms)}; the target is stated against the usual line-by-line pass (the ceiling column), which is what the seed's readline reader did.`,
						);
					}
				}
			}
		}
		return {
			title: 'Parse and validate',
			method: [
				'Each case runs in its own Node process (peak RSS = `process.resourceUsage().maxRSS` of that process, Node itself included), timed after module loading.',
				'"Ours" reads the file through `openTranscript(path).items()` into a `SummaryBuilder`: detection, reading, every conversation normalized and validated, every finding (what `preview` and the import do).',
				'Ceilings, same file: CSV — a bare `csv-parse` pass (same dialect options, records counted and dropped); JSONL — 1 MiB reads cut at "\\n", `JSON.parse` per line; JSON — `JSON.parse` of the whole file read as one string (skipped above 400 MB).',
				`Ceiling and ours run alternately ${ctx.repeat}× per case; the table shows medians (time) and the largest peak RSS.`,
			].join(' '),
			tables: [table],
			notes,
		};
	},
};
