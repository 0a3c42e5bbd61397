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
	/** SHA-256 of the file's bytes. */
	contentHash: string;
}

export async function fileHash(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** `file` is the name shown to the user and written in reports; `path` is where it is read from. */
export async function openSource(path: string, file: string, options: LoadOptions): Promise<OpenedSource> {
	const transcript = await openTranscript(path, options);
	const contentHash = await fileHash(path);
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
	const options = JSON.stringify(job.readOptions, Object.keys(job.readOptions).sort());
	return join(workDir, 'journals', `${job.projectId}-${fingerprintOf(job.baseUrl, job.projectId, job.source, job.contentHash, options)}.ndjson`);
}
