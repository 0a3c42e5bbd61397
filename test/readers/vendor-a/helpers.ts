/** Test helpers for the vendor-a readers: drain a reader, build a Probe like the detector does, write small ZIPs. */
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {crc32} from 'node:zlib';
import type {DraftConversation} from '../../../source/core/model/draft.js';
import type {Finding} from '../../../source/core/model/findings.js';
import type {FormatReader, Probe, ReadOptions} from '../../../source/core/readers/types.js';
import {makeProbe} from '../../../source/core/readers/probe.js';

export const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
export const fixture = (path: string): string => join(FIXTURES, path);

export async function collect(reader: FormatReader, path: string, options: ReadOptions = {}): Promise<{drafts: DraftConversation[]; findings: Finding[]}> {
	const drafts: DraftConversation[] = [];
	const findings: Finding[] = [];
	for await (const item of reader.read(path, options)) {
		if (item.kind === 'conversation') drafts.push(item.draft);
		else findings.push(item.finding);
	}
	return {drafts, findings};
}

/** The probe exactly as the app builds it (first 64 KiB, ZIP entry names). */
export const probeOf = (path: string): Promise<Probe> => makeProbe(path);

export function tempDir(): string {
	return mkdtempSync(join(tmpdir(), 'vendor-a-'));
}

/**
 * A minimal ZIP writer (stored entries, no compression) so tests can build export archives without a zip-writing
 * dependency. Layout per APPNOTE: local headers + data, central directory, end record.
 */
export function writeZip(path: string, entries: Record<string, string | Buffer>): string {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const [name, content] of Object.entries(entries)) {
		const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
		const fileName = Buffer.from(name, 'utf8');
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6); // UTF-8 names
		local.writeUInt16LE(0, 8); // stored
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(fileName.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(fileName.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, fileName, data);
		centrals.push(central, fileName);
		offset += local.length + fileName.length + data.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(Object.keys(entries).length, 8);
	end.writeUInt16LE(Object.keys(entries).length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	writeFileSync(path, Buffer.concat([...locals, directory, end]));
	return path;
}

export const codes = (findings: Finding[]): string[] => findings.map((f) => f.code);
