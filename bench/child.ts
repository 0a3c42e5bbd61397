/**
 * Runs one measured task in this process and prints its result as one JSON line:
 * `node bench/out/bench/child.js TASK 'ARGS-JSON'`. Modules are loaded before the clock starts.
 */
import {suites} from './suites/index.js';

const [name, argsJson] = process.argv.slice(2);
const task = suites.map((s) => s.tasks[name ?? '']).find((t) => t !== undefined);
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
