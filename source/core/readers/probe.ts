import {open} from 'node:fs/promises';
import {extname} from 'node:path';
import type {Probe} from './types.js';

const HEAD_BYTES = 64 * 1024;

/** Reads the first 64 KiB of a file for detection (never the whole file). */
export async function makeProbe(path: string): Promise<Probe> {
	const handle = await open(path, 'r');
	try {
		const buffer = Buffer.alloc(HEAD_BYTES);
		const {bytesRead} = await handle.read(buffer, 0, HEAD_BYTES, 0);
		const head = buffer.subarray(0, bytesRead);
		return {path, extension: extname(path).slice(1).toLowerCase(), head, headText: head.toString('utf8').replace(/^\uFEFF/, '')};
	} finally {
		await handle.close();
	}
}
