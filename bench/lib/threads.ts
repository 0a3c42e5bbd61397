/**
 * CPU time of this process's main thread and of all its other threads (V8's GC and compiler helpers, libuv's
 * pool), from /proc/self/task (Linux; undefined elsewhere). `process.cpuUsage()` gives only their sum; the TUI
 * suite needs them apart, since only the main thread's work lies on the import's critical path. A thread that
 * ends between two readings drops out with its time (V8's and libuv's threads live as long as the process).
 */
import {readdirSync, readFileSync} from 'node:fs';

export interface ThreadCpu {
	mainMs: number;
	helpersMs: number;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const HZ = 100;

export function threadCpu(): ThreadCpu | undefined {
	let tasks: string[];
	try {
		tasks = readdirSync('/proc/self/task');
	} catch {
		return undefined;
	}
	const cpu: ThreadCpu = {mainMs: 0, helpersMs: 0};
	for (const tid of tasks) {
		let stat: string;
		try {
			stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
		} catch {
			continue; // the thread ended meanwhile
		}
		// After "pid (comm) ": state is field 3, utime 14 and stime 15; comm may hold spaces or parentheses.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / HZ;
		if (tid === String(process.pid)) cpu.mainMs += ms;
		else cpu.helpersMs += ms;
	}
	return cpu;
}

/** What `after` added to `before`. */
export function threadCpuSince(before: ThreadCpu | undefined): ThreadCpu | undefined {
	const after = threadCpu();
	return before && after ? {mainMs: after.mainMs - before.mainMs, helpersMs: after.helpersMs - before.helpersMs} : undefined;
}
