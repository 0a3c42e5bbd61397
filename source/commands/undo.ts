/**
 * `tiledesk-import undo REPORT`: lists the conversations an import created (from its JSON report) and, after
 * confirmation, deletes them. Needs the owner role. Exit: 0 done, 1 some could not be deleted, 2 usage error,
 * 3 stopped by an error (credentials, role).
 */
import {resolve} from 'node:path';
import {parseArgs} from 'node:util';
import {connect} from '../core/connection/connect.js';
import {readReport, ReportError} from '../core/import/report.js';
import {createdRows, undoImport, type UndoResult} from '../core/import/undo.js';
import {TiledeskError} from '../core/tiledesk/errors.js';
import {connectionHelp, connectionOptionSpecs, resolveConnection} from './connection-flags.js';
import {hintFor} from './import.js';
import {printProblem, UsageError, type CommandIO} from './io.js';
import {confirm, Interrupted} from './prompt.js';

export const undoUsage = `Usage: tiledesk-import undo REPORT [options]

Deletes the Tiledesk conversations that an import created, as listed in its JSON report
(FILE.tiledesk-import-<run>.json). Conversations that existed before the import are never deleted.
Deleting needs the owner role in the project.

Options:
${connectionHelp}
  (--url and --project default to the report's)
  --dry-run             list what would be deleted; delete nothing
  --yes                 do not ask for confirmation
  --json                one JSON line per conversation on stdout
  -h, --help            this help
Exit: 0 done, 1 some could not be deleted, 2 usage error, 3 stopped by an error, 130 interrupted (nothing deleted).`;

export async function run(argv: string[], io: CommandIO & {stdin?: NodeJS.ReadStream}): Promise<number> {
	let args;
	try {
		args = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {...connectionOptionSpecs, 'dry-run': {type: 'boolean'}, yes: {type: 'boolean', short: 'y'}, json: {type: 'boolean'}, 'no-color': {type: 'boolean'}, help: {type: 'boolean', short: 'h'}},
		});
	} catch (error) {
		printProblem(io, (error as Error).message.replace(/\. To specify.*$/s, ''), 'run `tiledesk-import undo --help`');
		return 2;
	}
	const v = args.values;
	if (v.help) {
		io.stdout.write(`${undoUsage}\n`);
		return 0;
	}
	const stdin = io.stdin ?? process.stdin;
	const interactive = Boolean(stdin.isTTY) && !io.env['CI'];
	let connected: Awaited<ReturnType<typeof connect>> | undefined;
	try {
		const path = args.positionals[0];
		if (!path || args.positionals.length > 1) throw new UsageError('undo takes exactly one REPORT', 'tiledesk-import undo chats.json.tiledesk-import-20261125-063012-ab12cd.json');
		let report;
		try {
			report = readReport(resolve(io.cwd, path));
		} catch (error) {
			if (error instanceof ReportError) throw new UsageError(error.message);
			throw error;
		}
		const rows = createdRows(report);
		io.stderr.write(`${rows.length} conversation(s) of ${report.file} were created by this import in project ${report.projectName ? `"${report.projectName}" ` : ''}(${report.projectId}).\n`);
		for (const row of rows.slice(0, 10)) io.stderr.write(`  ${row.sourceId}  ${row.requestId}\n`);
		if (rows.length > 10) io.stderr.write(`  … and ${rows.length - 10} more\n`);
		if (rows.length === 0) return 0;
		if (v['dry-run']) return 0;
		const connection = await resolveConnection({...v, url: v.url ?? report.baseUrl, project: v.project ?? report.projectId}, {...io, stdin, interactive});
		if (connection.settings.projectId !== report.projectId) {
			throw new UsageError(`the report is for project ${report.projectId}, not ${connection.settings.projectId}`, 'omit --project to use the report\'s');
		}
		connected = await connect(connection.settings, {needRole: 'owner'});
		if (!v.yes) {
			if (!interactive) throw new UsageError('not deleting without confirmation', 'add --yes to delete without asking (or --dry-run to list)');
			if (!(await confirm(`Delete these ${rows.length} conversation(s) from "${connected.info.project.name}"? This cannot be undone.`, stdin, io.stderr))) {
				io.stderr.write('Nothing deleted.\n');
				return 0;
			}
		}
		const onResult = (r: UndoResult) => {
			if (v.json) io.stdout.write(`${JSON.stringify(r)}\n`);
			else io.stderr.write(`  ${r.status.padEnd(12)} ${r.sourceId}  ${r.requestId}${r.message ? `  ${r.message}` : ''}\n`);
		};
		const results = await undoImport(connected.client, report, {onResult});
		const count = (s: UndoResult['status']) => results.filter((r) => r.status === s).length;
		io.stderr.write(`Deleted ${count('deleted')}, already gone ${count('already-gone')}, left alone ${count('not-ours')}, failed ${count('failed')}.\n`);
		return count('failed') > 0 ? 1 : 0;
	} catch (error) {
		if (error instanceof Interrupted) {
			io.stderr.write('\nInterrupted: nothing was deleted.\n');
			return 130;
		}
		if (error instanceof UsageError) {
			printProblem(io, error.message, error.hint);
			return 2;
		}
		if (error instanceof TiledeskError) {
			printProblem(io, error.message, error.kind === 'forbidden' ? 'deleting conversations needs the owner role in the project; ask an owner to run undo' : hintFor(error));
			return 3;
		}
		throw error;
	} finally {
		await connected?.client.close();
	}
}
