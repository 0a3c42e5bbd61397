/** Test helpers for the vendor-b readers: group A's (drain a reader, probe, ZIP writer) plus the normalizer pass. */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Normalizer} from '../../../source/core/normalize/index.js';
import type {Finding} from '../../../source/core/model/findings.js';
import type {Conversation} from '../../../source/core/model/transcript.js';
import type {FormatReader, ReadOptions} from '../../../source/core/readers/types.js';
import {tempDir} from '../vendor-a/helpers.js';

export {codes, collect, fixture, FIXTURES, probeOf, tempDir, writeZip} from '../vendor-a/helpers.js';

export const NOW = Date.UTC(2025, 0, 1);

/** Reads a file through a reader and the shared normalizer (UTC unless told), as the app does. */
export async function normalize(reader: FormatReader, path: string, options: ReadOptions = {}): Promise<{conversations: Conversation[]; findings: Finding[]}> {
	const normalizer = new Normalizer({timezone: options.timezone ?? 'UTC', now: NOW});
	const conversations: Conversation[] = [];
	const findings: Finding[] = [];
	for await (const item of reader.read(path, options)) {
		if (item.kind === 'finding') {
			findings.push(item.finding);
			continue;
		}
		const result = normalizer.add(item.draft);
		findings.push(...result.findings);
		if (result.conversation) conversations.push(result.conversation);
	}
	return {conversations, findings};
}

export const errors = (findings: Finding[]): Finding[] => findings.filter((f) => f.severity === 'error');

/** Writes a file in a fresh temporary folder and returns its path. */
export function write(name: string, content: string): string {
	const path = join(tempDir(), name);
	writeFileSync(path, content);
	return path;
}
