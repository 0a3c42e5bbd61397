/** The file picker's model: folder listings, format detection per file, and tab completion of typed paths. */
import {readdirSync, statSync} from 'node:fs';
import {basename, dirname, join, resolve, sep} from 'node:path';
import {detectFormat} from '../../core/readers/detect.js';

export interface DirEntry {
	name: string;
	path: string;
	kind: 'up' | 'dir' | 'file';
	size?: number;
	mtime?: number;
}

/** Folders first, then files, by name; hidden entries and node_modules left out. */
export function listDir(dir: string): DirEntry[] {
	const entries: DirEntry[] = [];
	const parent = dirname(dir);
	if (parent !== dir) entries.push({name: '..', path: parent, kind: 'up'});
	let names: string[] = [];
	try {
		names = readdirSync(dir);
	} catch {
		return entries;
	}
	const dirs: DirEntry[] = [];
	const files: DirEntry[] = [];
	for (const name of names.sort((a, b) => a.localeCompare(b))) {
		if (name.startsWith('.') || name === 'node_modules') continue;
		const path = join(dir, name);
		try {
			const s = statSync(path);
			if (s.isDirectory()) dirs.push({name, path, kind: 'dir'});
			else if (s.isFile()) files.push({name, path, kind: 'file', size: s.size, mtime: s.mtimeMs});
		} catch {
			// A broken link or a file we may not read: not listed.
		}
	}
	return [...entries, ...dirs, ...files];
}

export type Detected = {ok: true; label: string} | {ok: false; reason: string};

/** The detected format of a file (cached by path + mtime by the caller). */
export async function detectFile(path: string): Promise<Detected> {
	try {
		const {reader} = await detectFormat(path);
		return {ok: true, label: reader.label};
	} catch (error) {
		return {ok: false, reason: (error as Error).message.replace(`${path}: `, '')};
	}
}

/** Tab completion: the longest unambiguous completion of a typed path (folders get a trailing separator). */
export function completePath(typed: string, cwd: string): string | undefined {
	const full = resolve(cwd, typed || '.');
	const endsWithSep = typed.endsWith('/') || typed === '';
	const dir = endsWithSep ? full : dirname(full);
	const prefix = endsWithSep ? '' : basename(full);
	let names: string[];
	try {
		names = readdirSync(dir).filter((n) => n.startsWith(prefix) && !n.startsWith('.'));
	} catch {
		return undefined;
	}
	if (names.length === 0) return undefined;
	let common = names[0]!;
	for (const n of names) while (!n.startsWith(common)) common = common.slice(0, -1);
	const typedDir = endsWithSep ? typed : typed.slice(0, typed.length - prefix.length);
	let completed = typedDir + common;
	if (names.length === 1) {
		try {
			if (statSync(join(dir, common)).isDirectory()) completed += sep;
		} catch {
			// keep as is
		}
	}
	return completed === typed ? undefined : completed;
}
