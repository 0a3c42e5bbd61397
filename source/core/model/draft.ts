/**
 * What readers emit: loosely-typed drafts, close to the source. The shared normalizer
 * (source/core/normalize/) parses timestamps, maps roles, computes `clientTimestamp`, and validates,
 * producing a Conversation and its findings. Readers should not repeat that logic.
 */
import type {Attachment, Role, SourceLocation} from './transcript.js';
import type {Finding} from './findings.js';

/**
 * A timestamp as found in the source:
 * - a string: ISO 8601, `YYYY-MM-DD HH:mm[:ss[.ffffff]]`, or digits (epoch, unit by magnitude);
 * - a number: epoch, unit decided by magnitude;
 * - `{epochMs}`: the reader already knows the exact instant (Rasa float seconds, Intercom seconds, …);
 * - `{local}`: wall-clock fields without a zone (WhatsApp); interpreted in the chosen time zone.
 */
export type DraftTimestamp =
	| string
	| number
	| {epochMs: number}
	| {local: {year: number; month: number; day: number; hour: number; minute: number; second?: number; ms?: number}};

export interface DraftMessage {
	sourceId?: string;
	senderId?: string;
	senderName?: string;
	/** A Role, or a raw value from the source (`visitor`, `operator`, `inbound`, …) mapped by the normalizer. */
	role?: Role | string;
	text?: string;
	timestamp?: DraftTimestamp | null;
	attachments?: Attachment[];
	private?: boolean;
	location: SourceLocation;
}

export interface DraftConversation {
	/** Missing ids are an error (`missing-conversation-id`) unless the reader derives one. */
	id?: string;
	requester?: {id?: string; name?: string; email?: string};
	subject?: string;
	department?: string;
	language?: string;
	attributes?: Record<string, unknown>;
	messages: DraftMessage[];
	location: SourceLocation;
}

/** One item of a reader's stream: a whole conversation, or a finding not tied to one (a broken line …). */
export type ReadItem = {kind: 'conversation'; draft: DraftConversation} | {kind: 'finding'; finding: Finding};
