/**
 * Read-only access to ZIP archives (WhatsApp, Slack and Telegram exports) through yauzl. Entries are read one at
 * a time on demand; nothing is extracted to disk.
 */
import {open} from 'node:fs/promises';
import type {Readable} from 'node:stream';
import yauzl from 'yauzl';

export interface ZipArchive {
	/** Entry names (directories excluded), in central-directory order. */
	names: string[];
	/** A stream of one entry's uncompressed bytes. */
	stream(name: string): Promise<Readable>;
	/** One entry's uncompressed bytes. */
	read(name: string): Promise<Buffer>;
	close(): void;
}

/** Opens a ZIP file and reads its central directory. Rejects with yauzl's error for a damaged or non-ZIP file. */
export function openZip(path: string): Promise<ZipArchive> {
	return new Promise((resolve, reject) => {
		yauzl.open(path, {lazyEntries: true, autoClose: false}, (error, zip) => {
			if (error || !zip) {
				reject(error ?? new Error('cannot open archive'));
				return;
			}
			const entries = new Map<string, yauzl.Entry>();
			zip.on('error', reject);
			zip.on('entry', (entry: yauzl.Entry) => {
				if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
				zip.readEntry();
			});
			zip.on('end', () => {
				const stream = (name: string): Promise<Readable> =>
					new Promise((resolveStream, rejectStream) => {
						const entry = entries.get(name);
						if (!entry) {
							rejectStream(new Error(`no entry ${name}`));
							return;
						}
						zip.openReadStream(entry, (streamError, readable) => {
							if (streamError || !readable) rejectStream(streamError ?? new Error(`cannot read ${name}`));
							else resolveStream(readable);
						});
					});
				resolve({
					names: [...entries.keys()],
					stream,
					async read(name) {
						const chunks: Buffer[] = [];
						for await (const chunk of await stream(name)) chunks.push(chunk as Buffer);
						return Buffer.concat(chunks);
					},
					close: () => zip.close(),
				});
			});
			zip.readEntry();
		});
	});
}

/** The reason a ZIP could not be opened, for a finding. */
export function zipErrorReason(error: unknown): string {
	const message = (error as Error)?.message ?? String(error);
	if ((error as {code?: string})?.code === 'ENOENT') return 'file not found';
	if (/end of central directory/i.test(message)) return 'not a ZIP archive or truncated (no central directory)';
	return message;
}

/** Whether the file starts with a ZIP local-file signature (`PK\3\4`), whatever its extension. */
export async function isZipFile(path: string): Promise<boolean> {
	try {
		const handle = await open(path, 'r');
		try {
			const {buffer, bytesRead} = await handle.read(Buffer.alloc(4), 0, 4, 0);
			return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
		} finally {
			await handle.close();
		}
	} catch {
		return path.toLowerCase().endsWith('.zip');
	}
}
