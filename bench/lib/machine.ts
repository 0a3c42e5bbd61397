/** Machine details for BENCHMARKS.md. */
import {cpus, loadavg, totalmem, type as osType, release} from 'node:os';

export interface Machine {
	cpu: string;
	cores: number;
	ramGB: number;
	node: string;
	os: string;
	date: string;
	load: string;
}

export function machine(): Machine {
	const list = cpus();
	return {
		cpu: list[0]?.model.trim() ?? 'unknown',
		cores: list.length,
		ramGB: Math.round(totalmem() / 1024 ** 3),
		node: process.version,
		os: `${osType()} ${release()}`,
		date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
		load: loadavg()
			.map((l) => l.toFixed(2))
			.join(' '),
	};
}
