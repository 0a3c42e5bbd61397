import {open} from 'node:fs/promises';
import {extname} from 'node:path';
import type {Probe} from './types.js';
import {openZip} from './vendor-a/zip.js';

const HEAD_BYTES = 64 * 1024;

/** Reads the first 64 KiB of a file for detection (never the whole file). */
export async function makeProbe(path: string): Promise<Probe> {
	const handle = await open(path, 'r');
	try {
		const buffer = Buffer.alloc(HEAD_BYTES);
		const {bytesRead} = await handle.read(buffer, 0, HEAD_BYTES, 0);
		const head = buffer.subarray(0, bytesRead);
		const probe: Probe = {path, extension: extname(path).slice(1).toLowerCase(), head, headText: head.toString('utf8').replace(/^\uFEFF/, '')};
		// ZIP exports (WhatsApp, Slack, Telegram) are recognised by their entry names, read from the central directory.
		if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) {
			try {
				const zip = await openZip(path);
				probe.zipEntries = zip.names;
				zip.close();
			} catch {
				// A damaged archive: no entries; the readers report the reason when asked to read it.
			}
		}
		return probe;
	} finally {
		await handle.close();
	}
}
