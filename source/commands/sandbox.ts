/**
 * `tiledesk-import sandbox [--port N] [--latency MS] [--error-rate R] [--rate-limit-rate R] [--quota N]`:
 * a local Tiledesk-compatible server for rehearsing imports. Prints the connection as shell exports (the same
 * form as the real server's bootstrap) on stdout and runs until Ctrl+C.
 */
import {parseArgs} from 'node:util';
import {startSandbox, type FaultOptions} from '../core/sandbox/server.js';
import {printProblem, type CommandIO} from './io.js';

const usage = `Usage: tiledesk-import sandbox [options]

Starts a local Tiledesk-compatible server with an owner, an agent and a project, and prints
their credentials as shell exports:  eval "$(tiledesk-import sandbox)" is not possible (it keeps running);
use  tiledesk-import sandbox > sandbox.env &  then  source sandbox.env

Options:
  --port N             port (default 3034; 0 = any free port)
  --latency MS         added to every API response
  --error-rate R       share of API calls answered 500 (0..1)
  --rate-limit-rate R  share of API calls answered 429 with Retry-After
  --hang-rate R        share of API calls never answered
  --quota N            monthly conversation quota (default 10000)`;

export async function run(argv: string[], io: CommandIO): Promise<number> {
	let values;
	try {
		({values} = parseArgs({
			args: argv,
			options: {
				port: {type: 'string'},
				latency: {type: 'string'},
				'error-rate': {type: 'string'},
				'rate-limit-rate': {type: 'string'},
				'hang-rate': {type: 'string'},
				quota: {type: 'string'},
				help: {type: 'boolean', short: 'h'},
			},
		}));
	} catch (error) {
		printProblem(io, (error as Error).message.replace(/\. To specify.*$/s, ''), 'run `tiledesk-import sandbox --help`');
		return 2;
	}
	if (values.help) {
		io.stdout.write(`${usage}\n`);
		return 0;
	}
	const number = (name: string, value: string | undefined, max = Infinity): number | undefined => {
		if (value === undefined) return undefined;
		const n = Number(value);
		if (!Number.isFinite(n) || n < 0 || n > max) throw new Error(`--${name} expects a number${max === 1 ? ' between 0 and 1' : ''}, got "${value}"`);
		return n;
	};
	let port: number;
	const faults: FaultOptions = {};
	let quota: number | undefined;
	try {
		port = number('port', values.port, 65535) ?? 3034;
		const latency = number('latency', values.latency);
		const errorRate = number('error-rate', values['error-rate'], 1);
		const rateLimitRate = number('rate-limit-rate', values['rate-limit-rate'], 1);
		const hangRate = number('hang-rate', values['hang-rate'], 1);
		quota = number('quota', values.quota);
		if (latency) faults.latencyMs = latency;
		if (errorRate) faults.errorRate = errorRate;
		if (rateLimitRate) faults.rateLimitRate = rateLimitRate;
		if (hangRate) faults.hangRate = hangRate;
	} catch (error) {
		printProblem(io, (error as Error).message, 'run `tiledesk-import sandbox --help`');
		return 2;
	}
	let sandbox;
	try {
		sandbox = await startSandbox({port, faults, ...(quota !== undefined ? {monthlyRequests: quota} : {})});
	} catch (error) {
		const e = error as {code?: string; message: string};
		printProblem(io, e.code === 'EADDRINUSE' ? `port ${port} is already in use` : e.message, 'choose another with --port N (0 = any free port)');
		return 2;
	}
	io.stdout.write(`${sandbox.exportsText}\n`);
	io.stderr.write(`Tiledesk sandbox listening on ${sandbox.url} (project "Sandbox project"). Ctrl+C stops it; data is kept in memory only.\n`);
	await new Promise<void>((resolve) => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	await sandbox.close();
	return 0;
}
