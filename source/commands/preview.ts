/**
 * `tiledesk-import preview FILE`: a readable summary of a transcript, one conversation's messages
 * (`--conversation ID`), or the normalized model + findings as one JSON object (`--json`, schemaVersion 1).
 * Exit 0: no errors; 1: errors found; 2: usage error.
 */
import {resolve} from 'node:path';
import {parseArgs} from 'node:util';
import {formatLocation, type Finding} from '../core/model/findings.js';
import type {Conversation} from '../core/model/transcript.js';
import {InputError} from '../core/readers/detect.js';
import {ProfileStore} from '../core/profiles/store.js';
import {openTranscript} from '../core/transcript/load.js';
import {SummaryBuilder, type TranscriptSummary} from '../core/transcript/summary.js';
import {printProblem, UsageError, type CommandIO} from './io.js';
import {readOptionSpecs, readOptionsFrom, readOptionsHelp} from './read-options.js';

export const previewUsage = `Usage: tiledesk-import preview FILE [options]

Reads a transcript, validates it and prints a summary. Nothing is sent anywhere.

Options:
${readOptionsHelp}
  --conversation ID     print that conversation's messages (local and UTC times)
  --json                print the normalized transcript and findings as one JSON object
  --limit N             examples shown per finding code (default 3)
  --profile NAME        name the saved profile the import would go to (shown in the summary)
  -h, --help            this help
Exit: 0 no errors, 1 errors found, 2 usage error.`;

export async function run(argv: string[], io: CommandIO): Promise<number> {
	let args;
	try {
		args = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				...readOptionSpecs,
				conversation: {type: 'string'},
				json: {type: 'boolean'},
				limit: {type: 'string'},
				profile: {type: 'string'},
				'no-color': {type: 'boolean'},
				help: {type: 'boolean', short: 'h'},
			},
		});
	} catch (error) {
		printProblem(io, (error as Error).message.replace(/\. To specify.*$/s, ''), 'run `tiledesk-import preview --help`');
		return 2;
	}
	if (args.values.help) {
		io.stdout.write(`${previewUsage}\n`);
		return 0;
	}
	try {
		const file = args.positionals[0];
		if (!file || args.positionals.length > 1) throw new UsageError('preview takes exactly one FILE', 'tiledesk-import preview samples/support-chats.json');
		const {timezone, ...options} = readOptionsFrom(args.values);
		const target = args.values.profile ? profileTarget(args.values.profile) : undefined;
		const limit = args.values.limit === undefined ? 3 : Number(args.values.limit);
		if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit expects a whole number, got "${args.values.limit}"`, 'example: --limit 10');

		// Locations name the file as the user typed it; it is resolved against the command's cwd only when needed.
		const path = io.cwd === process.cwd() ? file : resolve(io.cwd, file);
		const transcript = await openTranscript(path, {...options, timezone}).catch((error: unknown) => {
			if (error instanceof InputError) throw new UsageError(error.message, error.hint);
			throw error;
		});
		const builder = new SummaryBuilder(limit);
		const conversations: Conversation[] = [];
		const findings: Finding[] = [];
		let wanted: {conversation: Conversation; findings: Finding[]} | undefined;
		for await (const item of transcript.items()) {
			builder.add(item);
			if (args.values.json) {
				if (item.conversation) conversations.push(item.conversation);
				findings.push(...item.findings);
			}
			if (args.values.conversation && item.conversation?.id === args.values.conversation) {
				wanted = {conversation: item.conversation, findings: item.findings};
			}
		}
		const summary = builder.result();
		if (args.values.json) {
			io.stdout.write(`${JSON.stringify({schemaVersion: 1, file, format: transcript.format, timezone, summary, conversations: conversations.map(toJson), findings})}\n`);
		} else if (args.values.conversation) {
			if (!wanted) throw new UsageError(`no conversation with id "${args.values.conversation}" in ${file}`, 'the summary lists conversations by id with --json');
			io.stdout.write(renderConversation(wanted.conversation, wanted.findings, timezone));
		} else {
			io.stdout.write(renderSummary(file, transcript.label, transcript.detection.reason, summary, timezone));
			if (target) io.stdout.write(`\nTarget: ${target}\nCheck access, quota and what already exists: tiledesk-import import ${file} --profile ${JSON.stringify(args.values.profile)} --dry-run\n`);
		}
		return summary.errors > 0 ? 1 : 0;
	} catch (error) {
		if (error instanceof UsageError) {
			printProblem(io, error.message, error.hint);
			return 2;
		}
		throw error;
	}
}

/** The project a saved profile points at, for the summary (no network: preview never connects). */
function profileTarget(name: string): string {
	const store = new ProfileStore();
	const profile = store.get(name);
	if (!profile) throw new UsageError(`no profile named "${name}"`, 'create one with the wizard: run tiledesk-import without arguments');
	return `profile "${profile.name}" → project ${profile.projectId} at ${profile.apiUrl} (as ${profile.email})`;
}

function toJson(c: Conversation): unknown {
	return {
		...c,
		messages: c.messages.map((m) => ({...m, timestamp: m.timestamp ?? null})),
	};
}

const ROLES = ['end-user', 'agent', 'bot', 'system'] as const;

export function renderSummary(file: string, label: string, reason: string, s: TranscriptSummary, timezone: string): string {
	const lines: string[] = [];
	lines.push(`${file}`);
	lines.push(`  format         ${label} (${reason})`);
	lines.push(`  conversations  ${s.conversations}${s.blockedConversations ? ` (${s.blockedConversations} blocked by errors)` : ''}`);
	lines.push(`  messages       ${s.messages}`);
	lines.push(`  participants   ${ROLES.map((r) => `${r} ${s.participants[r]}`).join(' · ')}`);
	lines.push(`  by role        ${ROLES.map((r) => `${r} ${s.messagesByRole[r]}`).join(' · ')} messages`);
	if (s.firstTimestamp !== undefined && s.lastTimestamp !== undefined) {
		lines.push(`  time range     ${formatTime(s.firstTimestamp, timezone)} → ${formatTime(s.lastTimestamp, timezone)} (${timezone})`);
	} else {
		lines.push('  time range     no timestamps in the file');
	}
	lines.push('');
	if (s.findings.length === 0) {
		lines.push('No findings: ready to import.');
	} else {
		lines.push(`Findings: ${s.errors} error(s), ${s.warnings} warning(s)`);
		for (const g of s.findings) {
			lines.push(`  ${g.severity.toUpperCase().padEnd(7)} ${g.code} ×${g.count}`);
			for (const e of g.examples) {
				const where = e.location ? formatLocation(e.location) : '';
				lines.push(`      ${where}${e.conversationId ? ` [${e.conversationId}]` : ''}: ${e.message}`);
			}
			if (g.count > g.examples.length) lines.push(`      … and ${g.count - g.examples.length} more`);
		}
	}
	return `${lines.join('\n')}\n`;
}

function renderConversation(c: Conversation, findings: Finding[], timezone: string): string {
	const lines = [`Conversation ${c.id}${c.subject ? ` — ${c.subject}` : ''}`];
	lines.push(`  requester ${c.requester.name ?? c.requester.id}${c.requester.email ? ` <${c.requester.email}>` : ''}`);
	lines.push(`  ${c.messages.length} messages; times in ${timezone} and UTC`);
	c.messages.forEach((m, i) => {
		const t = m.timestamp !== undefined ? `${formatTime(m.timestamp, timezone)} | ${new Date(m.timestamp).toISOString()}` : `(no time; synthesized ${new Date(m.clientTimestamp).toISOString()})`;
		lines.push(`  #${i} ${t}  ${m.role} ${m.senderName ?? m.senderId}${m.private ? ' [private]' : ''}`);
		for (const l of m.text.split('\n')) lines.push(`      ${l}`);
		for (const a of m.attachments) lines.push(`      [attachment] ${a.name ?? ''} ${a.url ?? ''}`.trimEnd());
	});
	for (const f of findings) lines.push(`  ${f.severity}: ${f.code}: ${f.message}`);
	return `${lines.join('\n')}\n`;
}

function formatTime(ms: number, timezone: string): string {
	return new Intl.DateTimeFormat('sv-SE', {
		timeZone: timezone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).format(ms);
}
