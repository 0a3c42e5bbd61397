/**
 * Fuzzing seeds per reader, from the test fixtures and samples: every file under test/fixtures/<reader id>/ (and
 * native/ by extension), the samples for the native formats, and ZIP archives built from the fixture folders that
 * are exports (Slack, WhatsApp iOS, Dialogflow agent). A reader added later with fixtures in its own folder is
 * seeded automatically; one without any falls back to the native JSON sample.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {extname, join, relative} from 'node:path';
import type {FormatReader} from '../../source/core/readers/types.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface Seed {
	/** Where it comes from (for messages). */
	name: string;
	/** Extension to write the mutated case with. */
	ext: string;
	/** A single file's bytes, or a ZIP's entries. */
	bytes?: Buffer;
	zip?: Record<string, Buffer>;
}

function filesIn(folder: string): string[] {
	try {
		return readdirSync(folder, {recursive: true, withFileTypes: true})
			.filter((e) => e.isFile())
			.map((e) => join(e.parentPath, e.name));
	} catch {
		return [];
	}
}

function zipOf(folder: string, prefix = ''): Record<string, Buffer> {
	return Object.fromEntries(filesIn(folder).map((f) => [`${prefix}${relative(folder, f)}`, readFileSync(f)]));
}

const fileSeed = (path: string): Seed => ({name: relative(ROOT, path), ext: extname(path).slice(1) || 'txt', bytes: readFileSync(path)});

export function seedsFor(reader: FormatReader): Seed[] {
	const seeds: Seed[] = [];
	const own = join(FIXTURES, reader.id);
	const exportFolders: Record<string, {folder: string; zipName: string; prefix?: string}[]> = {
		slack: [{folder: join(FIXTURES, 'slack', 'export'), zipName: 'Acme Slack export.zip'}],
		whatsapp: [{folder: join(FIXTURES, 'whatsapp', 'ios'), zipName: 'WhatsApp Chat - Mario.zip'}],
		dialogflow: [{folder: join(FIXTURES, 'dialogflow', 'agent'), zipName: 'agent.zip'}],
	};
	const zipped = new Set<string>();
	for (const z of exportFolders[reader.id] ?? []) {
		zipped.add(z.folder);
		seeds.push({name: `${relative(ROOT, z.folder)} (zipped)`, ext: 'zip', zip: zipOf(z.folder, z.prefix)});
	}
	for (const f of filesIn(own)) {
		if ([...zipped].some((folder) => f.startsWith(`${folder}/`)) && reader.id !== 'whatsapp') continue;
		if (statSync(f).size > 2_000_000) continue;
		seeds.push(fileSeed(f));
	}
	const native: Record<string, string[]> = {
		json: [join(FIXTURES, 'native', 'broken.json'), join(ROOT, 'samples', 'support-chats.json')],
		jsonl: [join(ROOT, 'samples', 'support-chats.jsonl')],
		csv: [join(FIXTURES, 'native', 'unquoted-comma.csv'), join(ROOT, 'samples', 'support-chats.csv'), join(ROOT, 'samples', 'helpdesk-export.csv')],
	};
	for (const f of native[reader.id] ?? []) {
		try {
			seeds.push(fileSeed(f));
		} catch {
			// a sample that is not there (yet) is simply not a seed
		}
	}
	if (seeds.length === 0) seeds.push(fileSeed(join(ROOT, 'samples', 'support-chats.json')));
	return seeds;
}
