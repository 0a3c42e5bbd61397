#!/usr/bin/env node
/** The `tiledesk-import` entry: colour environment first, then one command module per subcommand. */
import {readFileSync} from 'node:fs';
import type {Command, CommandIO} from './commands/io.js';
import {tuneRuntime} from './runtime.js';

// React's development build costs about a third more CPU per frame; a user never needs its checks.
process.env['NODE_ENV'] ??= 'production';
tuneRuntime();

const argv = process.argv.slice(2);
const [name, ...rest] = argv.filter((a) => a !== '--debug');
if (process.env['NO_COLOR'] !== undefined || argv.includes('--no-color') || process.env['TERM'] === 'dumb') {
	process.env['FORCE_COLOR'] = '0';
}

const commands: Record<string, () => Promise<{run: Command}>> = {
	preview: () => import('./commands/preview.js'),
	import: () => import('./commands/import.js'),
	undo: () => import('./commands/undo.js'),
	sandbox: () => import('./commands/sandbox.js'),
};

const usage = `Usage: tiledesk-import [command] [options]

Without a command: the guided wizard (needs a terminal).

Commands:
  preview FILE     read and validate a transcript; print a summary (--json for scripts)
  import FILE      import a transcript into a Tiledesk project (safe to re-run; resumes)
  undo REPORT      delete the conversations an import created
  sandbox          run a local Tiledesk-compatible server to rehearse imports

Run \`tiledesk-import <command> --help\` for a command's options.`;

async function main(): Promise<number> {
	const io: CommandIO = {stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd()};
	if (name === '--version' || name === '-v') {
		const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
		io.stdout.write(`${pkg.version}\n`);
		return 0;
	}
	if (name === undefined || name === 'wizard') {
		const {runWizard} = await import('./ui/run-wizard.js');
		return runWizard({...io, stdin: process.stdin, stdoutTTY: Boolean(process.stdout.isTTY)});
	}
	if (name === '--help' || name === '-h' || name === 'help') {
		io.stdout.write(`${usage}\n`);
		return 0;
	}
	const load = commands[name];
	if (!load) {
		io.stderr.write(`error: unknown command "${name}"\nhint: commands: ${Object.keys(commands).join(', ')}\n`);
		return 2;
	}
	const command = await load();
	return command.run(rest, io);
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		const e = error as Error;
		process.stderr.write(`error: ${e.message}\n`);
		if (argv.includes('--debug')) process.stderr.write(`${e.stack}\n`);
		else process.stderr.write('(run with --debug for details)\n');
		// For import and undo, 1 means "some conversations failed": an unexpected stop is 3, "stopped by an error".
		process.exitCode = name === 'import' || name === 'undo' ? 3 : 1;
	},
);
