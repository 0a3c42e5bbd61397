/** The contract between the runner (../run.ts) and the suites (../suites/*.ts). */

/** A measurement run in a child process (so peak RSS is the case's own): name → function of its arguments. */
export type Task = (args: Record<string, unknown>) => Promise<Record<string, unknown>>;

export interface ChildResult {
	/** Wall time of the measured operation (after module loading), ms. */
	ms: number;
	/** CPU time (user + system) of the child during the operation, ms: less sensitive to other load than wall time. */
	cpuMs: number;
	/** process.resourceUsage().maxRSS of the child, MB. */
	maxRssMB: number;
	[key: string]: unknown;
}

export interface BenchContext {
	quick: boolean;
	/** Message counts to measure. */
	sizes: number[];
	/** Runs per case; the median is reported. */
	repeat: number;
	/** Cache of generated transcripts. */
	dataDir: string;
	log(message: string): void;
	/** Runs `task` (exported by a suite in `tasks`) in a fresh Node process. */
	child(task: string, args: Record<string, unknown>): Promise<ChildResult>;
}

export interface Table {
	columns: string[];
	rows: string[][];
}

export interface SuiteResult {
	title: string;
	/** Markdown: what is measured and how. */
	method: string;
	tables: Table[];
	/** Markdown bullet lines: the key ratios against the targets. */
	notes: string[];
}

export interface Suite {
	/** `--only NAME` selects it. */
	name: string;
	run(ctx: BenchContext): Promise<SuiteResult>;
	/** Child-process tasks this suite uses (names must be unique across suites). */
	tasks: Record<string, Task>;
}
