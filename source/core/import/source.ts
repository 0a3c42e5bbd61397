/** A transcript file as the engine sees it: detected, normalized conversations on demand, and a content fingerprint. */
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {openTranscript, type LoadOptions, type OpenTranscript} from '../transcript/load.js';
import type {TranscriptSource} from './engine.js';
import {fingerprintOf} from './ids.js';

export interface OpenedSource extends TranscriptSource {
	transcript: OpenTranscript;
	/** SHA-256 of the file's bytes (and of a companion file's), computed once, on first use: the wizard's preview
	 * of a big file starts without waiting for it. */
	contentHash(): Promise<string>;
}

export async function fileHash(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** `file` is the name shown to the user and written in reports; `path` is where it is read from. */
export async function openSource(path: string, file: string, options: LoadOptions): Promise<OpenedSource> {
	const transcript = await openTranscript(path, options);
	let hashed: Promise<string> | undefined;
	const contentHash = () =>
		(hashed ??= (async () => {
			const parts = [await fileHash(path)];
			for (const companion of options.companionFiles ?? []) parts.push(await fileHash(companion));
			return parts.length === 1 ? parts[0]! : createHash('sha256').update(parts.join('\n')).digest('hex');
		})());
	return {file, format: transcript.format, transcript, contentHash, items: (signal) => transcript.items(signal)};
}

/** Where journals live by default: $XDG_STATE_HOME/tiledesk-import (or ~/.local/state/tiledesk-import). */
export function defaultWorkDir(env: NodeJS.ProcessEnv = process.env): string {
	return join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'tiledesk-import');
}

/**
 * One journal per import job: the same server, project, source identity, file content and reading options. A
 * changed file (new messages) starts a new journal; the read-back diff still finds what an earlier run sent.
 */
export function journalPathFor(workDir: string, job: {baseUrl: string; projectId: string; source: string; contentHash: string; readOptions: LoadOptions}): string {
	const options = canonicalJson(job.readOptions);
	return join(workDir, 'journals', `${job.projectId}-${fingerprintOf(job.baseUrl, job.projectId, job.source, job.contentHash, options)}.ndjson`);
}

/** JSON with object keys sorted at every level (an array replacer would drop nested keys such as a column map's). */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}
