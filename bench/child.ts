/**
 * Runs one measured task in this process and prints its result as one JSON line:
 * `node bench/out/bench/child.js TASK 'ARGS-JSON'`. Modules are loaded before the clock starts.
 */
import {tuneRuntime} from '../source/runtime.js';
import type {Suite} from './lib/types.js';

// As the CLI does before anything else (source/runtime.ts): what is measured is what a user runs.
tuneRuntime();

const [name, argsJson] = process.argv.slice(2);
// Only the task's own suite is loaded (`parse:…` → ./suites/parse.js), so a task's peak RSS does not include the
// modules of the others (React, Ink and Yoga for the TUI suite weigh ~50 MB).
const suite = /^[a-z]+(?=:)/.exec(name ?? '')?.[0];
const mod = suite ? ((await import(`./suites/${suite}.js`).catch(() => ({}))) as Record<string, Suite>) : {};
const task = Object.values(mod)
	.map((s) => s.tasks?.[name ?? ''])
	.find((t) => t !== undefined);
if (!task) {
	process.stderr.write(`unknown task ${name}\n`);
	process.exit(2);
}
const args = JSON.parse(argsJson ?? '{}') as Record<string, unknown>;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const out = await task(args);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, ...out})}\n`);
