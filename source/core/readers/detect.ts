import {stat} from 'node:fs/promises';
import {makeProbe} from './probe.js';
import {allReaders, readerById} from './registry.js';
import type {Detection, FormatReader} from './types.js';

/** A user-facing problem with the input file: printed as one line, never with a stack. */
export class InputError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

export interface DetectResult {
	reader: FormatReader;
	detection: Detection;
	candidates: {id: string; confidence: number; reason: string}[];
}

export async function detectFormat(path: string, options: {format?: string} = {}): Promise<DetectResult> {
	let info;
	try {
		info = await stat(path);
	} catch {
		throw new InputError(`${path}: no such file`, 'check the path, or run `ls` in that folder');
	}
	if (info.isDirectory()) throw new InputError(`${path} is a folder, not a transcript file`, 'name a file inside it');
	if (options.format) {
		const reader = readerById(options.format);
		if (!reader) throw new InputError(`unknown format "${options.format}"`, `formats: ${allReaders.map((r) => r.id).join(', ')}`);
		return {reader, detection: {confidence: 1, reason: 'chosen with --format'}, candidates: []};
	}
	if (info.size === 0) throw new InputError(`${path} is empty`, 'export the transcript again');
	const probe = await makeProbe(path);
	const candidates = allReaders
		.map((reader) => ({reader, detection: reader.detect(probe)}))
		.sort((a, b) => b.detection.confidence - a.detection.confidence);
	const best = candidates[0];
	if (!best || best.detection.confidence <= 0.3) {
		throw new InputError(`${path}: format not recognised`, `choose one with --format (${allReaders.map((r) => r.id).join(', ')})`);
	}
	if (best.detection.unsupported) throw new InputError(`${path}: ${best.detection.unsupported}`);
	return {
		reader: best.reader,
		detection: best.detection,
		candidates: candidates.map((c) => ({id: c.reader.id, confidence: c.detection.confidence, reason: c.detection.reason})),
	};
}
