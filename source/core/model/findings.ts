/**
 * Validation findings. A finding with severity `error` blocks its conversation (or, without a conversation,
 * the file); `warning` and `info` never block anything.
 */
import {z} from 'zod';
import {SourceLocationSchema} from './transcript.js';

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/**
 * Every code a reader or the validator may emit. Keep this list the single source of truth: the preview
 * groups by code, the README documents them, and scripts depend on them through `preview --json`.
 */
export const FINDING_CODES = [
	// file and structure
	'unreadable-file', // cannot open / read / decompress
	'unknown-format', // detection failed
	'unsupported-format', // recognised, but not a transcript we can import (e.g. a Dialogflow ES agent export)
	'unparsable', // JSON syntax error, CSV row that cannot be parsed, a line that is not JSON
	'invalid-record', // a record of the right syntax whose shape is wrong (wrong type, missing required field)
	'column-count', // CSV row with a different number of fields than the header
	'missing-column', // a mapped/required CSV column is absent
	'encoding', // not UTF-8, replacement characters, BOM in the middle …
	// conversations
	'empty-conversation',
	'duplicate-conversation-id',
	'missing-conversation-id',
	// messages
	'missing-text',
	'missing-sender',
	'unknown-role',
	'message-too-large', // larger than the server's 500 KB request limit
	'template-placeholder', // `${…}` in text: Tiledesk replaces it with a project label
	// timestamps
	'unparsable-timestamp',
	'timestamp-missing', // synthesized from order
	'timestamp-unit', // epoch unit decided by magnitude (info)
	'timestamp-no-zone', // local time interpreted in a time zone (info/warning)
	'timestamp-out-of-order',
	'timestamp-duplicate',
	'timestamp-future',
	'timestamp-before-2000', // likely a seconds-vs-ms mix-up
	'date-order', // day/month order of zone-less dates inferred from the file or assumed (WhatsApp); `--date-order`
	// reader-specific, informative
	'skipped-record', // a record intentionally not imported (e.g. Rasa `action`, a typing activity)
	'private-note', // private notes skipped or imported, per option
	'role-assumed', // the reader guessed who is the agent/business side (WhatsApp, Telegram, Slack); `--agents`
] as const;
export const FindingCodeSchema = z.enum(FINDING_CODES);
export type FindingCode = z.infer<typeof FindingCodeSchema>;

export const FindingSchema = z.object({
	severity: SeveritySchema,
	code: FindingCodeSchema,
	/** A human sentence; names the field and value where it helps. Never contains a stack trace. */
	message: z.string(),
	conversationId: z.string().optional(),
	/** 0-based index in the conversation's normalized message list. */
	messageIndex: z.number().int().nonnegative().optional(),
	location: SourceLocationSchema.optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** `file:line:column` (or `file $.path`) for messages. */
export function formatLocation(location: {file: string; line?: number; column?: number; path?: string}): string {
	let s = location.file;
	if (location.line !== undefined) {
		s += `:${location.line}`;
		if (location.column !== undefined) s += `:${location.column}`;
	}
	if (location.path !== undefined) s += ` ${location.path}`;
	return s;
}
