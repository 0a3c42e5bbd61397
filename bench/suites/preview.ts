/**
 * Time to the first preview page per size and format: from opening the file until the catalog has its first 20
 * entries AND the first conversation has been read in full (`openCatalog`, `waitFor(20)`, `readConversation(0)`);
 * then the whole catalog scan (entries, summary, every finding) and its peak RSS.
 */
import {fmt, median} from '../lib/stats.js';
import type {ChildResult, Suite, SuiteResult, Table} from '../lib/types.js';
import {FORMATS, generated, sizeLabel} from '../generate.js';
import {openCatalog} from '../../source/core/transcript/catalog.js';

export const previewSuite: Suite = {
	name: 'preview',
	tasks: {
		async 'preview:first-page'(args) {
			const started = performance.now();
			const catalog = await openCatalog(String(args['path']), {timezone: 'UTC'});
			await catalog.waitFor(20);
			const entriesAtFirstPage = catalog.size;
			const conversation = await catalog.readConversation(0);
			if (!conversation) throw new Error('the first conversation could not be read');
			const firstPageMs = performance.now() - started;
			const phase = catalog.progress.phase;
			await catalog.done;
			if (catalog.status !== 'complete') throw catalog.error ?? new Error(`scan ${catalog.status}`);
			const scanMs = performance.now() - started;
			await catalog.close();
			return {firstPageMs, entriesAtFirstPage, phaseAtFirstPage: phase, scanMs, conversations: catalog.size, messages: catalog.summary().messages};
		},
	},
	async run(ctx): Promise<SuiteResult> {
		const table: Table = {columns: ['Messages', 'Format', 'File MB', 'First page', 'Entries then', 'Scan phase then', 'Full catalog scan', 'Peak RSS MB (largest)', 'Peak RSS MB (median)'], rows: []};
		const notes: string[] = [];
		const largest = Math.max(...ctx.sizes);
		const rss: string[] = [];
		for (const size of ctx.sizes) {
			let worst = 0;
			for (const format of FORMATS) {
				const file = generated(ctx.dataDir, format, size);
				ctx.log(`preview: ${sizeLabel(size)} ${format} × ${ctx.repeat}`);
				const runs: ChildResult[] = [];
				for (let i = 0; i < ctx.repeat; i++) runs.push(await ctx.child('preview:first-page', {path: file.path}));
				const firstPage = median(runs.map((r) => Number(r['firstPageMs'])));
				const scan = median(runs.map((r) => Number(r['scanMs'])));
				const last = runs[runs.length - 1]!;
				worst = Math.max(worst, firstPage);
				table.rows.push([
					sizeLabel(size),
					format.toUpperCase(),
					fmt.mb(file.bytes),
					fmt.ms(firstPage),
					String(last['entriesAtFirstPage']),
					String(last['phaseAtFirstPage']),
					fmt.ms(scan),
					Math.max(...runs.map((r) => r.maxRssMB)).toFixed(0),
					median(runs.map((r) => r.maxRssMB)).toFixed(0),
				]);
				if (size === largest) rss.push(`${format.toUpperCase()} ${runs.map((r) => r.maxRssMB.toFixed(0)).join(', ')} MB`);
			}
			if (size === largest) {
				notes.push(`${sizeLabel(size)} messages: first page within ${fmt.ms(worst)} for every format (target ≤ 2 s: ${worst <= 2000 ? 'within' : 'OVER'}).`);
				notes.push(
					`${sizeLabel(size)} messages, peak RSS of each run of the whole catalog scan (target ≤ 250 MB): ${rss.join('; ')}. The catalog keeps an entry per conversation (id, counts, times, requester, subject) beside the row index, so it needs more than a plain validation. Before the CLI turned V8's allocation-site pretenuring off (source/runtime.ts; the bench children do the same), about one JSONL run in three peaked at 350–370 MB: V8 had begun allocating short-lived objects in the old generation, which then filled with garbage (live heap under 60 MB, \`--trace-gc\`).`,
				);
			}
		}
		return {
			title: 'Time to first preview page',
			method: [
				'Each case runs in its own Node process. First page = from `openCatalog(path)` (detection included) until 20 entries are listed and `readConversation(0)` has returned the whole first conversation.',
				'Row formats (CSV, JSONL) list entries while their rows are indexed and can read a conversation once the index pass ends (a later row may belong to it); JSON lists and reads conversations as the scan reaches them.',
				`Full catalog scan = until the catalog is complete (entries validated, summary, all findings). Medians of ${ctx.repeat} runs; peak RSS is the largest.`,
			].join(' '),
			tables: [table],
			notes,
		};
	},
};
