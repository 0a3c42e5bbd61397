/**
 * `tiledesk-import sandbox`: a local Tiledesk-compatible server for rehearsing imports. Prints the connection as
 * shell exports (the same form as the real server's bootstrap) on stdout and runs until Ctrl+C / SIGTERM. Options
 * set the port, an optional state file that survives restarts, the quota and injected faults.
 */
import {parseArgs} from 'node:util';
import {startSandbox, SandboxStateError, type FaultOptions, type Sandbox} from '../core/sandbox/server.js';
import {printProblem, type CommandIO} from './io.js';

const usage = `Usage: tiledesk-import sandbox [options]

Starts a local Tiledesk-compatible server with an owner, an agent and a project, and prints their
credentials as shell exports on stdout (the same lines as a real server's bootstrap):

  tiledesk-import sandbox > sandbox.env &
  source sandbox.env

Options:
  --port N                      port (default 3034; 0 = any free port)
  --state FILE                  keep users, conversations and messages in FILE (created if missing, mode 0600)
                                so they, and the printed credentials, survive restarts; default: memory only
  --quota N                     monthly conversation quota per project (default 10000)

Fault injection (R is a share of calls, 0..1; draws come from a seeded RNG, so runs repeat):
  --latency MS                  added to every API response
  --error-rate R                answered 500 before anything is applied
  --rate-limit-rate R           answered 429 with Retry-After (--retry-after S, default 1)
  --hang-rate R                 never answered (nothing applied)
  --reset-rate R                connection reset before anything is applied
  --reset-after-apply-rate R    applied, then the connection is reset
  --hang-after-apply-rate R     applied, then never answered
  --partial-multi-rate R        a messages/multi call saves only its first k items, then answers 500
  --fault-paths REGEX           only paths matching REGEX get faults (e.g. '/messages/multi$')
  --fault-methods LIST          only these methods get faults (e.g. POST,PUT)
  --seed N                      RNG seed (default 1)

While it runs, GET /__sandbox/state shows what is stored and POST /__sandbox/faults (a JSON body such as
{"resetAfterApplyRate":0.2,"onlyPaths":"/requests$"}) replaces the faults.`;

const RATES = {
	'error-rate': 'errorRate',
	'rate-limit-rate': 'rateLimitRate',
	'hang-rate': 'hangRate',
	'reset-rate': 'resetRate',
	'reset-after-apply-rate': 'resetAfterApplyRate',
	'hang-after-apply-rate': 'hangAfterApplyRate',
	'partial-multi-rate': 'partialMultiRate',
} as const;

/** `until` stops the server (tests); by default it runs until SIGINT or SIGTERM. */
export async function run(argv: string[], io: CommandIO, until?: Promise<unknown>): Promise<number> {
	let values;
	try {
		({values} = parseArgs({
			args: argv,
			options: {
				port: {type: 'string'},
				state: {type: 'string'},
				quota: {type: 'string'},
				seed: {type: 'string'},
				latency: {type: 'string'},
				'retry-after': {type: 'string'},
				'fault-paths': {type: 'string'},
				'fault-methods': {type: 'string'},
				...Object.fromEntries(Object.keys(RATES).map((k) => [k, {type: 'string' as const}])),
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
	const flags = values as Record<string, string | undefined>;
	const number = (name: string, {max = Infinity, integer = false} = {}): number | undefined => {
		const value = flags[name];
		if (value === undefined) return undefined;
		const n = Number(value);
		if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > max || (integer && !Number.isInteger(n))) {
			throw new Error(`--${name} expects ${max === 1 ? 'a number between 0 and 1' : integer ? 'a whole number' : 'a number'}${max !== 1 && max !== Infinity ? ` up to ${max}` : ''}, got "${value}"`);
		}
		return n;
	};
	let port: number;
	let quota: number | undefined;
	let seed: number | undefined;
	const faults: FaultOptions = {};
	try {
		port = number('port', {max: 65535, integer: true}) ?? 3034;
		quota = number('quota', {integer: true});
		seed = number('seed', {integer: true});
		const latency = number('latency', {max: 600_000, integer: true});
		const retryAfter = number('retry-after', {max: 86_400});
		if (latency) faults.latencyMs = latency;
		if (retryAfter !== undefined) faults.retryAfterSeconds = retryAfter;
		for (const [flag, key] of Object.entries(RATES)) {
			const rate = number(flag, {max: 1});
			if (rate) faults[key] = rate;
		}
		const paths = flags['fault-paths'];
		if (paths !== undefined) {
			try {
				new RegExp(paths);
			} catch {
				throw new Error(`--fault-paths expects a regular expression, got "${paths}"`);
			}
			faults.onlyPaths = paths;
		}
		const methods = flags['fault-methods'];
		if (methods !== undefined) {
			const list = methods.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
			const bad = list.find((s) => !['GET', 'POST', 'PUT', 'DELETE'].includes(s));
			if (bad !== undefined || list.length === 0) throw new Error(`--fault-methods expects a list of GET, POST, PUT, DELETE, got "${methods}"`);
			faults.onlyMethods = list as FaultOptions['onlyMethods'];
		}
	} catch (error) {
		printProblem(io, (error as Error).message, 'run `tiledesk-import sandbox --help`');
		return 2;
	}
	const stateFile = flags['state'];
	let sandbox: Sandbox;
	try {
		sandbox = await startSandbox({
			port,
			faults,
			...(quota !== undefined ? {monthlyRequests: quota} : {}),
			...(seed !== undefined ? {seed} : {}),
			...(stateFile ? {stateFile} : {}),
			onError: (error) => io.stderr.write(`warning: ${error.message}\n`),
		});
	} catch (error) {
		const e = error as {code?: string; message: string};
		if (e.code === 'EADDRINUSE') printProblem(io, `port ${port} is already in use`, 'choose another with --port N (0 = any free port)');
		else if (error instanceof SandboxStateError) printProblem(io, e.message);
		else printProblem(io, e.message);
		return 2;
	}
	io.stdout.write(`${sandbox.exportsText}\n`);
	const kept = stateFile ? `data is kept in ${stateFile}` : 'data is kept in memory only';
	const injected = Object.keys(faults).length > 0 ? ` Faults: ${JSON.stringify(faults)}.` : '';
	io.stderr.write(`Tiledesk sandbox listening on ${sandbox.url} (project "Sandbox project"); ${kept}.${injected} Ctrl+C stops it.\n`);
	let stop: () => void = () => {};
	const stopped = new Promise<void>((resolve) => {
		stop = resolve;
	});
	const onSignal = () => stop();
	if (until) {
		void until.then(onSignal, onSignal);
	} else {
		process.once('SIGINT', onSignal);
		process.once('SIGTERM', onSignal);
	}
	await stopped;
	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	try {
		await sandbox.close();
	} catch (error) {
		printProblem(io, (error as Error).message);
		return 1;
	}
	return 0;
}
