/**
 * The contract between format readers and the rest of the app. Each format (native JSON/JSONL/CSV, and
 * vendor exports) implements FormatReader and registers itself in ./registry.ts.
 */
import type {ReadItem} from '../model/draft.js';

export type FormatId =
	| 'json'
	| 'jsonl'
	| 'csv'
	| 'whatsapp'
	| 'rasa'
	| 'telegram'
	| 'zendesk-support'
	| 'zendesk-chat'
	| 'intercom'
	| 'botframework'
	| 'slack'
	| 'freshdesk'
	| 'tidio'
	| 'gorgias'
	| 'twcs'
	| 'dialogflow';

/** What detection looks at: the path and the first bytes of the file (never the whole file). */
export interface Probe {
	path: string;
	/** Lower-case extension without the dot (`json`, `csv`, `txt`, `zip`, `transcript`), '' if none. */
	extension: string;
	/** Up to the first 64 KiB. */
	head: Buffer;
	/** `head` decoded as UTF-8 with any BOM removed. */
	headText: string;
	/** Names of the entries when the file is a ZIP archive (read from the central directory), else undefined. */
	zipEntries?: string[];
}

export interface Detection {
	/** 0 = not this format, 1 = certain. Extension alone is worth at most 0.3; content decides. */
	confidence: number;
	/** Why, for the preview ("object with sender_id and events[]"). */
	reason: string;
	/** Set when the file is recognised but cannot be imported (e.g. Dialogflow ES agent export): the human reason. */
	unsupported?: string;
}

/** Options every reader receives (from flags or the wizard). Readers ignore what does not apply to them. */
export interface ReadOptions {
	/** IANA zone for timestamps without a zone; default: the local zone. */
	timezone?: string;
	/** CSV: explicit mapping field → column header (`--map conversationId=Ticket,text=Body`). */
	columnMap?: Partial<Record<CsvField, string>>;
	/** CSV: delimiter; auto-detected (`,` `;` tab) when absent. */
	delimiter?: string;
	/** WhatsApp etc.: day-first or month-first dates; inferred when absent and decidable. */
	dateOrder?: 'dmy' | 'mdy' | 'ymd';
	/** WhatsApp/Telegram/Slack: names or ids of the participants who are agents (the business side). */
	agents?: string[];
	/** Names or ids of participants who are bots. */
	bots?: string[];
	/** Private notes / internal comments: skipped (default) or imported as marked messages. */
	privateNotes?: 'skip' | 'import';
	/** Rasa: split a tracker into one conversation per session. */
	splitSessions?: boolean;
	/** Slack: one conversation per channel (default) or per thread. */
	slackGrouping?: 'channel' | 'thread';
	/** Extra files some formats need (Gorgias: the messages file next to the tickets file). */
	companionFiles?: string[];
}

export const CSV_FIELDS = [
	'conversationId',
	'messageId',
	'timestamp',
	'senderId',
	'senderName',
	'role',
	'text',
	'requesterName',
	'requesterEmail',
	'subject',
	'attachmentUrl',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

export interface FormatReader {
	id: FormatId;
	/** Human name for the preview and the file picker ("WhatsApp chat export"). */
	label: string;
	/** Extensions this reader usually handles (lower case, no dot). */
	extensions: string[];
	detect(probe: Probe): Detection;
	/**
	 * Streams the file. Must not load the whole file into memory when the format allows streaming (JSONL, CSV,
	 * line-based text). Must never throw for bad input: report it as a finding with a location and go on
	 * (or stop the stream after an `unparsable` error when nothing more can be read).
	 */
	read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem>;
}
