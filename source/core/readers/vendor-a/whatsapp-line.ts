/**
 * One line of a WhatsApp "Export chat" text: the timestamp prefix (Android `06/03/2017, 00:45 - ` and iOS
 * `[02/11/2020, 9:47:19 pm] `, any locale's separators and AM/PM spelling), the sender, and attachment markers.
 */
import type {Attachment} from '../../model/transcript.js';

/** Raw timestamp fields of a line, before the date order is known. */
export interface WhatsAppStamp {
	/** The three date fields as written (`06`, `03`, `2017`). */
	date: [string, string, string];
	hour: number;
	minute: number;
	second?: number;
	/** `a` or `p` when a 12-hour marker (`pm`, `a. m.`, `P.M.` …) follows the time. */
	meridiem?: 'a' | 'p';
}

export interface WhatsAppHeader extends WhatsAppStamp {
	/** Everything after the prefix: `Name: text` or a system line. */
	rest: string;
}

// Spaces WhatsApp puts around times: ASCII space, NBSP (U+00A0), narrow NBSP (U+202F); JS `\s` covers all three.
const HEADER =
	/^[\u200E\u200F\uFEFF]*\[?(\d{1,4})[./-](\d{1,2})[./-](\d{1,4}),?\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*([aApP])\.?\s*[mM]\.?)?\]?(?:\s+-)?\s+/;

/** The detection regex of formats.md (a looser prefix test, used on the file's first lines). */
export const WHATSAPP_LINE = HEADER;

/** Parses a line's timestamp prefix; undefined for a continuation line. */
export function parseHeader(line: string): WhatsAppHeader | undefined {
	const m = HEADER.exec(line);
	if (!m) return undefined;
	const [, a, b, c, h, mi, s, ampm] = m;
	const header: WhatsAppHeader = {date: [a!, b!, c!], hour: Number(h), minute: Number(mi), rest: line.slice(m[0].length)};
	if (s !== undefined) header.second = Number(s);
	if (ampm !== undefined) header.meridiem = ampm.toLowerCase() as 'a' | 'p';
	return header;
}

const BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Removes direction marks (U+200E, U+202A … around phone numbers) and the `~ ` WhatsApp puts before unsaved names. */
export function cleanName(name: string): string {
	return name.replace(BIDI, '').replace(/^~[\s\u202F]*/, '').trim();
}

/**
 * Splits `Name: text`. A line without `": "` (or whose prefix is long or quoted, as in `Ann changed the subject to
 * "a: b"`) is a system line.
 */
export function splitSender(rest: string): {name: string; text: string} | undefined {
	const at = rest.indexOf(': ');
	const colonAtEnd = at < 0 && rest.endsWith(':') ? rest.length - 1 : -1;
	const cut = at >= 0 ? at : colonAtEnd;
	if (cut <= 0) return undefined;
	const prefix = rest.slice(0, cut);
	if (prefix.length > 80 || prefix.includes('"') || prefix.includes('\u201C')) return undefined;
	const name = cleanName(prefix);
	if (!name) return undefined;
	return {name, text: rest.slice(cut + 2)};
}

/** iOS puts system notices under the chat's name, prefixed by U+200E. */
export function isIosSystemText(text: string): boolean {
	return text.startsWith('\u200E') && /end-to-end encrypted|security code|created (this )?group|added|removed|left|changed|joined/i.test(text);
}

const OMITTED = /^<(?:Media omitted|Medien ausgeschlossen|Multimedia omitido|Médias omis|Media omessi|Mídia oculta|Media weggelaten)>$/i;
const IOS_OMITTED = /^(image|video|audio|sticker|GIF|document|Contact card) omitted$/i;
const ATTACHED = /<attached: ([^>]+)>/;
const FILE_ATTACHED = /^(.+?) \((?:file attached|Datei angehängt|archivo adjunto|fichier joint|file allegato|arquivo anexado|bestand bijgevoegd)\)$/i;

/** Finds WhatsApp's attachment markers in a message's first line; returns the text without them. */
export function extractAttachments(text: string): {text: string; attachments: Attachment[]} {
	const clean = text.replace(/\u200E/g, '');
	const trimmed = clean.trim();
	if (OMITTED.test(trimmed)) return {text: '', attachments: [{name: 'media omitted from the export'}]};
	const ios = IOS_OMITTED.exec(trimmed);
	if (ios) return {text: '', attachments: [{name: `${ios[1]!.toLowerCase()} omitted from the export`}]};
	const attached = ATTACHED.exec(clean);
	if (attached) return {text: clean.replace(ATTACHED, '').trim(), attachments: [{name: attached[1]!.trim()}]};
	const file = FILE_ATTACHED.exec(trimmed);
	if (file) return {text: '', attachments: [{name: file[1]!.trim()}]};
	return {text: clean, attachments: []};
}
