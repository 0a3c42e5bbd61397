/**
 * `tiledesk-import import FILE`: the headless import. Connects (JWT), plans, asks for confirmation (or `--yes`),
 * imports with the engine and prints human lines on stderr (or NDJSON events on stdout with `--json`).
 * Exit: 0 everything is in Tiledesk; 1 some conversations failed or were left out; 2 usage error; 3 stopped by
 * an error (credentials, access, quota, server unreachable); 130 stopped with Ctrl+C (resumable).
 */
import {resolve} from 'node:path';
import {parseArgs} from 'node:util';
import {connect} from '../core/connection/connect.js';
import {ImportRun} from '../core/import/engine.js';
import {importOptions, type ImportOptionsInput} from '../core/import/options.js';
import type {Plan} from '../core/import/plan.js';
import {readReport, ReportError} from '../core/import/report.js';
import {defaultWorkDir, journalPathFor, openSource} from '../core/import/source.js';
import {InputError} from '../core/readers/detect.js';
import {TiledeskError} from '../core/tiledesk/errors.js';
import {lineReporter} from '../reporters/lines.js';
import {ndjsonReporter} from '../reporters/ndjson.js';
import {connectionHelp, connectionOptionSpecs, resolveConnection} from './connection-flags.js';
import {printProblem, UsageError, type CommandIO} from './io.js';
import {confirm, Interrupted} from './prompt.js';
import {list, oneOf, positiveInt, readOptionsFrom, readOptionSpecs, readOptionsHelp} from './read-options.js';
import {toolVersion} from './version.js';

export const importUsage = `Usage: tiledesk-import import FILE [options]

Imports the conversations of a transcript into a Tiledesk project. Safe to re-run: conversations and messages
already in Tiledesk are found and never sent twice; an interrupted run resumes where it stopped.

Connection:
${connectionHelp}

What to import:
  --dry-run             check connection, role, quota and what already exists; write nothing
  --limit N             only the first N conversations (a demo import)
  --only ID,…           only these source conversation ids
  --retry-failed REPORT only the conversations a report lists as failed or stopped
  --source NAME         source name in conversation ids (default: the format); use distinct names for two
                        systems whose conversation ids overlap

How (side effects):
  --participants P      me (default: you, no routing, no bot replies), agent (with --agent-id), routing
  --agent-id ID         the agent to assign with --participants agent
  --requester-email M   drop (default: Tiledesk may e-mail a lead about agent messages) or keep
  --close               close each conversation after import
  --order O             fast (default: batches; order kept by clienttimestamp) or strict (one by one)
  --live                send messages as live (status 0: pushed to chat21); default: history (status 200)
  --department ID       Tiledesk department id
  --channel NAME        channel name stored on each conversation

Pace:
  --concurrency N       conversations in flight (default: from the round trip, 8 on a near server, up to 48)
  --max-rpm N           at most N API calls per minute
  --batch-size N        messages per call (default 100; each call also stays under 500 KB)
  --recheck             re-read conversations an earlier run finished (default: trust the journal)

Reading the file:
${readOptionsHelp}

Output:
  --yes                 do not ask for confirmation
  --json                NDJSON events on stdout (one per line) instead of human lines on stderr
  --report-dir DIR      where the JSON and CSV reports go (default: next to FILE)
  --work-dir DIR        where journals live (default: ${defaultWorkDir()})
  -h, --help            this help
Exit: 0 all imported, 1 some failed or left out, 2 usage error, 3 stopped by an error, 130 interrupted.`;

export async function run(argv: string[], io: CommandIO & {stdin?: NodeJS.ReadStream}): Promise<number> {
	let args;
	try {
		args = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				...connectionOptionSpecs,
				...readOptionSpecs,
				'dry-run': {type: 'boolean'},
				limit: {type: 'string'},
				only: {type: 'string'},
				'retry-failed': {type: 'string'},
				source: {type: 'string'},
				participants: {type: 'string'},
				'agent-id': {type: 'string'},
				'requester-email': {type: 'string'},
				close: {type: 'boolean'},
				order: {type: 'string'},
				live: {type: 'boolean'},
				department: {type: 'string'},
				channel: {type: 'string'},
				concurrency: {type: 'string'},
				'max-rpm': {type: 'string'},
				'batch-size': {type: 'string'},
				recheck: {type: 'boolean'},
				yes: {type: 'boolean', short: 'y'},
				json: {type: 'boolean'},
				'report-dir': {type: 'string'},
				'work-dir': {type: 'string'},
				'no-color': {type: 'boolean'},
				help: {type: 'boolean', short: 'h'},
			},
		});
	} catch (error) {
		printProblem(io, (error as Error).message.replace(/\. To specify.*$/s, ''), 'run `tiledesk-import import --help`');
		return 2;
	}
	const v = args.values;
	if (v.help) {
		io.stdout.write(`${importUsage}\n`);
		return 0;
	}
	const stdin = io.stdin ?? process.stdin;
	const interactive = Boolean(stdin.isTTY) && !io.env['CI'];
	let connected: Awaited<ReturnType<typeof connect>> | undefined;
	try {
		let file = args.positionals[0];
		if (args.positionals.length > 1) throw new UsageError('import takes exactly one FILE', 'tiledesk-import import samples/support-chats.json --dry-run');
		let retryIds: Set<string> | undefined;
		if (v['retry-failed']) {
			const report = wrapReport(() => readReport(resolve(io.cwd, v['retry-failed']!)));
			retryIds = new Set(report.conversations.filter((c) => c.status === 'failed' || c.status === 'cancelled').map((c) => c.sourceId));
			file ??= report.file;
			if (retryIds.size === 0) {
				io.stderr.write(`Nothing to retry: ${v['retry-failed']} lists no failed or stopped conversation.\n`);
				return 0;
			}
		}
		if (!file) throw new UsageError('import needs a FILE', 'tiledesk-import import samples/support-chats.json --dry-run');
		const readOptions = readOptionsFrom(v);
		const optionsInput: ImportOptionsInput = {
			dryRun: Boolean(v['dry-run']),
			close: Boolean(v.close),
			recheck: Boolean(v.recheck),
			messageStatus: v.live ? 'live' : 'history',
		};
		const participants = oneOf('participants', v.participants, ['me', 'agent', 'routing'] as const);
		if (participants) optionsInput.participants = participants;
		if (v['agent-id']) optionsInput.agentId = v['agent-id'];
		if (participants === 'agent' && !v['agent-id']) throw new UsageError('--participants agent needs --agent-id ID', 'the agent id is in the dashboard: Settings → Teammates');
		const requesterEmail = oneOf('requester-email', v['requester-email'], ['keep', 'drop'] as const);
		if (requesterEmail) optionsInput.requesterEmail = requesterEmail;
		const order = oneOf('order', v.order, ['fast', 'strict'] as const);
		if (order) optionsInput.order = order;
		if (v.department) optionsInput.departmentId = v.department;
		if (v.channel) optionsInput.channel = v.channel;
		if (v.source) optionsInput.source = v.source;
		const limit = positiveInt('limit', v.limit);
		if (limit !== undefined) optionsInput.limit = limit;
		const only = list(v.only);
		if (only?.length) optionsInput.only = only;
		const concurrency = positiveInt('concurrency', v.concurrency, {max: 64});
		if (concurrency !== undefined) optionsInput.concurrency = concurrency;
		const rpm = positiveInt('max-rpm', v['max-rpm']);
		if (rpm !== undefined) optionsInput.maxRequestsPerMinute = rpm;
		const batch = positiveInt('batch-size', v['batch-size'], {max: 1000});
		if (batch !== undefined) optionsInput.batchSize = batch;
		const connection = await resolveConnection(v, {...io, stdin, interactive});
		if (connection.dashboardUrl) optionsInput.dashboardUrl = connection.dashboardUrl;
		let options;
		try {
			options = importOptions(optionsInput);
		} catch (error) {
			throw new UsageError((error as Error).message.split('\n')[0]!);
		}

		const path = resolve(io.cwd, file);
		const source = await openSource(path, file, readOptions).catch((error: unknown) => {
			// Name the file as the user typed it.
			if (error instanceof InputError) throw new UsageError(error.message.replaceAll(path, file), error.hint);
			throw error;
		});
		connected = await connect(connection.settings, {needRole: 'agent'});
		// One call, so the plan can say how much of the monthly conversation quota the import would use.
		const quotaUsed = await connected.client.getQuota().then((q) => q.requestsUsed, () => undefined);
		const limitOfPlan = connected.info.project.monthlyConversationLimit;
		const workDir = resolve(io.cwd, v['work-dir'] ?? defaultWorkDir(io.env));
		const sourceName = options.source ?? source.format;
		const engine = new ImportRun({
			api: connected.client,
			connection: connected.info,
			source,
			options,
			toolVersion: toolVersion(),
			journalPath: journalPathFor(workDir, {baseUrl: connected.client.baseUrl, projectId: connected.info.project.id, source: sourceName, contentHash: await source.contentHash(), readOptions}),
			...(v['report-dir'] ? {reportDir: v['report-dir']} : {}),
			cwd: io.cwd,
			...(retryIds ? {retryIds} : {}),
			roundTripMs: connected.roundTripMs,
			quota: {...(quotaUsed !== undefined ? {used: quotaUsed} : {}), ...(limitOfPlan !== undefined ? {limit: limitOfPlan} : {})},
		});
		const human = lineReporter({write: (line) => io.stderr.write(line), dashboardUrl: options.dashboardUrl, projectId: connected.info.project.id});
		const report = v.json ? ndjsonReporter((line) => io.stdout.write(line)) : human;

		let confirmed: Plan | undefined;
		if (!options.dryRun && !v.yes) {
			const plan = await engine.plan();
			confirmed = plan;
			human({type: 'run-planned', plan});
			let go = false;
			try {
				if (!interactive) throw new UsageError('not starting without confirmation', 'add --yes to import without asking (or --dry-run to only check)');
				go = plan.conversations > 0 && (await confirm(`Import ${plan.conversations - plan.alreadyDone} conversation(s) into "${connected.info.project.name}"?`, stdin, io.stderr));
			} finally {
				// The plan opened the journal: the run closes it when it goes; a refusal or an interruption must here.
				if (!go) engine.close();
			}
			if (!go) {
				io.stderr.write('Nothing imported.\n');
				return 0;
			}
		}
		// The human lines already stated the confirmed plan; NDJSON consumers still get their run-planned event.
		engine.subscribe(confirmed && !v.json ? (event) => event.type !== 'run-planned' && report(event) : report);
		const stopSignals = installSignals(engine, io);
		try {
			const outcome = await engine.start(confirmed);
			if (stopSignals.interrupted()) return 130;
			if (outcome.stop.kind === 'fatal') return 3;
			const t = outcome.totals.byStatus;
			return t.failed + t.blocked + t.cancelled > 0 ? 1 : 0;
		} finally {
			stopSignals.remove();
		}
	} catch (error) {
		if (error instanceof Interrupted) {
			io.stderr.write('\nInterrupted: nothing was imported.\n');
			return 130;
		}
		if (error instanceof UsageError) {
			printProblem(io, error.message, error.hint);
			return 2;
		}
		if (error instanceof TiledeskError) {
			printProblem(io, error.message, hintFor(error));
			return 3;
		}
		throw error;
	} finally {
		await connected?.client.close();
	}
}

function wrapReport<T>(fn: () => T): T {
	try {
		return fn();
	} catch (error) {
		if (error instanceof ReportError) throw new UsageError(error.message);
		throw error;
	}
}

export function hintFor(error: TiledeskError): string | undefined {
	switch (error.kind) {
		case 'bad-credentials':
			return 'check the e-mail and password (or TILEDESK_TOKEN); they are the ones you use on the Tiledesk dashboard';
		case 'project-not-found':
			return 'the project id is in the dashboard URL: …/#/project/<id>/…';
		case 'forbidden':
			return error.info.reason === 'not-member' ? 'ask an owner of the project to invite you (agent role or higher)' : undefined;
		case 'network':
		case 'timeout':
			return 'check --url (e.g. https://api.tiledesk.com/v3) and your network';
		default:
			return undefined;
	}
}

/**
 * Ctrl+C once: graceful stop (resumable); twice: abort in-flight calls; three times: exit now.
 *
 * While the run lasts it owns SIGINT and SIGTERM: listeners other modules hooked at load time are set aside and
 * put back afterwards. conf's atomic writes load `when-exit`, whose listener re-raises the signal it catches, so
 * with it in place one Ctrl+C counted twice and aborted instead of stopping gracefully.
 */
function installSignals(engine: ImportRun, io: CommandIO): {remove(): void; interrupted(): boolean} {
	let count = 0;
	const onSignal = () => {
		count++;
		if (count === 1) {
			io.stderr.write('\nStopping after the current step (Ctrl+C again to abort now)…\n');
			engine.cancel('interrupted');
		} else if (count === 2) engine.abort();
		else process.exit(130);
	};
	const signals = ['SIGINT', 'SIGTERM'] as const;
	const setAside = signals.map((signal) => {
		const others = process.rawListeners(signal) as ((...args: unknown[]) => void)[];
		process.removeAllListeners(signal);
		process.on(signal, onSignal);
		return {signal, others};
	});
	return {
		remove: () => {
			for (const {signal, others} of setAside) {
				process.off(signal, onSignal);
				for (const listener of others) process.on(signal, listener);
			}
		},
		interrupted: () => count > 0,
	};
}
