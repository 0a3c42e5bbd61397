/**
 * Reads a WhatsApp chat text line by line (streamed with readline) into raw entries: a timestamp prefix starts an
 * entry; continuation lines (and blank lines) belong to the entry before them.
 */
import type {Readable} from 'node:stream';
import {createInterface} from 'node:readline';
import type {Finding} from '../../model/findings.js';
import type {Attachment, SourceLocation} from '../../model/transcript.js';
import {extractAttachments, isIosSystemText, parseHeader, splitSender, type WhatsAppStamp} from './whatsapp-line.js';

export interface RawEntry {
	line: number;
	stamp: WhatsAppStamp;
	/** The sender as written (cleaned of direction marks); undefined for a system line. */
	sender?: string;
	text: string;
	attachments: Attachment[];
	/** The full first line, for the conversation id. */
	raw: string;
}

export interface RawChat {
	entries: RawEntry[];
	findings: Finding[];
}

/** Where the chat text lives: a plain file or an entry of a ZIP (`location.path` = `archive.zip:_chat.txt`). */
export interface ChatSource {
	open(): Promise<Readable>;
	location: (line: number) => SourceLocation;
	label: string;
}

export async function scanChat(source: ChatSource, signal?: AbortSignal): Promise<RawChat> {
	const entries: RawEntry[] = [];
	const findings: Finding[] = [];
	const input = await source.open();
	const lines = createInterface({input, crlfDelay: Infinity});
	let lineNo = 0;
	let orphan = 0;
	let firstOrphan = 0;
	let badEncoding = 0;
	try {
		for await (const line of lines) {
			lineNo++;
			if (signal?.aborted) break;
			if (line.includes('\uFFFD') && badEncoding++ === 0) {
				findings.push({
					severity: 'warning',
					code: 'encoding',
					message: `${source.label} line ${lineNo} has bytes that are not UTF-8 (shown as \uFFFD); re-export the chat or convert the file to UTF-8.`,
					location: source.location(lineNo),
				});
			}
			const header = parseHeader(line);
			if (!header) {
				const last = entries[entries.length - 1];
				if (last) last.text += `\n${line.replace(/^\u200E/, '')}`;
				else if (line.trim() !== '' && orphan++ === 0) firstOrphan = lineNo;
				continue;
			}
			const {rest, ...stamp} = header;
			const split = splitSender(rest);
			const entry: RawEntry = {line: lineNo, stamp, text: '', attachments: [], raw: line.replace(/^[\u200E\uFEFF]+/, '')};
			if (split && !isIosSystemText(split.text)) {
				const {text, attachments} = extractAttachments(split.text);
				entry.sender = split.name;
				entry.text = text;
				entry.attachments = attachments;
			} else {
				entry.text = rest.replace(/\u200E/g, '');
			}
			entries.push(entry);
		}
	} finally {
		lines.close();
		input.destroy();
	}
	if (orphan > 0) {
		findings.push({
			severity: 'warning',
			code: 'unparsable',
			message: `${source.label}: ${orphan} line(s) before the first dated line were ignored (first at line ${firstOrphan}).`,
			location: source.location(firstOrphan),
		});
	}
	for (const e of entries) e.text = e.text.replace(/^\s*\n/, '').replace(/\s+$/, '');
	return {entries, findings};
}
