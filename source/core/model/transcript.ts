/**
 * The normalized transcript model. Every reader (native or vendor format) ends up here, and everything
 * downstream (preview, validation, the import engine, the TUI) consumes only these types.
 *
 * Readers do not build these objects directly: they emit drafts (see ./draft.ts), and the shared
 * normalizer turns a draft into a Conversation plus findings, so timestamp parsing, role mapping and
 * validation behave the same for every format.
 */
import {z} from 'zod';

export const ROLES = ['end-user', 'agent', 'bot', 'system'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Where something came from, for messages that name file, line (and column or JSON path). */
export const SourceLocationSchema = z.object({
	file: z.string(),
	/** 1-based line in the file (for text formats, and for JSON when known). */
	line: z.number().int().positive().optional(),
	/** 1-based column, when known. */
	column: z.number().int().positive().optional(),
	/** JSON path such as `$.conversations[3].messages[2]`, or an entry inside an archive (`chat.zip:_chat.txt`). */
	path: z.string().optional(),
});
export type SourceLocation = z.infer<typeof SourceLocationSchema>;

export const AttachmentSchema = z.object({
	name: z.string().optional(),
	url: z.string().optional(),
	mimeType: z.string().optional(),
	size: z.number().nonnegative().optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** How the original timestamp was obtained; reported in the preview so nobody is surprised. */
export const TimestampOriginSchema = z.enum([
	'iso-offset', // ISO 8601 with Z or an offset: exact
	'iso-local', // ISO 8601 / `YYYY-MM-DD HH:mm[:ss]` without zone: interpreted in the chosen time zone
	'epoch-s', // epoch seconds (decided by magnitude or by the format)
	'epoch-ms',
	'epoch-us',
	'format', // a vendor format whose reader knows the unit/zone (e.g. Rasa float seconds, WhatsApp local time)
	'synthesized', // missing in the source: derived from the order of messages
]);
export type TimestampOrigin = z.infer<typeof TimestampOriginSchema>;

export const MessageSchema = z.object({
	/** The message's id in the source system, if it has one. */
	sourceId: z.string().optional(),
	/** Stable id of the sender in the source (user id, e-mail, name, …). Never empty in a valid message. */
	senderId: z.string(),
	senderName: z.string().optional(),
	role: RoleSchema,
	/** Message text; may be empty only when the message has attachments. */
	text: z.string(),
	/** Original timestamp, epoch ms, when the source had one. */
	timestamp: z.number().optional(),
	timestampOrigin: TimestampOriginSchema,
	/**
	 * Strictly increasing per conversation (ties and out-of-order values are nudged by +1 ms), used as
	 * Tiledesk's `attributes.clienttimestamp`. Equal to `timestamp` whenever that is possible.
	 */
	clientTimestamp: z.number(),
	attachments: z.array(AttachmentSchema),
	/** Internal note / private comment (Zendesk `public:false`, Intercom notes, Freshdesk private notes). */
	private: z.boolean().optional(),
	location: SourceLocationSchema,
});
export type Message = z.infer<typeof MessageSchema>;

export const RequesterSchema = z.object({
	id: z.string(),
	name: z.string().optional(),
	email: z.string().optional(),
});
export type Requester = z.infer<typeof RequesterSchema>;

export const ConversationSchema = z.object({
	/** The conversation's id in the source; unique within a transcript. */
	id: z.string(),
	requester: RequesterSchema,
	subject: z.string().optional(),
	department: z.string().optional(),
	language: z.string().optional(),
	attributes: z.record(z.string(), z.unknown()).optional(),
	messages: z.array(MessageSchema),
	location: SourceLocationSchema,
});
export type Conversation = z.infer<typeof ConversationSchema>;
