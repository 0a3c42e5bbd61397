/**
 * The shared normalizer: every reader's drafts become Conversations here, so timestamps, roles and validation
 * behave the same for every format.
 */
import type {DraftConversation} from '../model/draft.js';
import type {Finding} from '../model/findings.js';
import {formatLocation} from '../model/findings.js';
import type {Conversation, Message, Role, SourceLocation, TimestampOrigin} from '../model/transcript.js';
import {parseTimestamp} from '../time/parse.js';
import {isValidTimezone, localTimezone} from '../time/zone.js';
import {ACCEPTED_ROLE_VALUES, mapRole} from './roles.js';

export interface NormalizeOptions {
	/** IANA zone for zone-less timestamps; default: the local zone. */
	timezone?: string;
	/** "now" for the in-the-future check and as the base of fully synthesized timelines. */
	now?: number;
}

/** The server's request body limit (500 KB) and an allowance for the JSON envelope of one message. */
export const BODY_LIMIT_BYTES = 512_000;
const MESSAGE_OVERHEAD_BYTES = 600;
const YEAR_2000 = Date.UTC(2000, 0, 1);
const DAY = 86_400_000;
const TEMPLATE = /\$\{[^}]*\}/;

/**
 * `YYYY-MM-DDTHH:mm:ss[.fff…]Z` — what most exports write — read without a regular expression; anything else
 * (or an out-of-range field) is left to parseTimestamp, which gives the same result for this shape.
 */
function isoUtc(s: string): number | undefined {
	const n = s.length;
	if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 /* T */) return undefined;
	if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
	const year = digits(s, 0, 4);
	const month = digits(s, 5, 2);
	const day = digits(s, 8, 2);
	const hour = digits(s, 11, 2);
	const minute = digits(s, 14, 2);
	const second = digits(s, 17, 2);
	if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return undefined;
	let ms = 0;
	if (n > 20) {
		if (s.charCodeAt(19) !== 46 /* . */) return undefined;
		const fraction = n - 21;
		if (fraction < 1 || digits(s, 20, fraction) < 0) return undefined;
		ms = fraction >= 3 ? digits(s, 20, 3) : digits(s, 20, fraction) * (fraction === 1 ? 100 : 10);
	}
	// Date.UTC reads years 0–99 as 1900–1999: leave those to it (and parseTimestamp does the same).
	if (year < 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
	return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), linear in `day` as Date.UTC
 * is (Feb 31 is Mar 3): the same value as Date.UTC(y, m - 1, d) / 864e5, about twice as fast (measured).
 */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
	return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** The decimal number in s[from, from + count), or -1 when a char there is not a digit. */
function digits(s: string, from: number, count: number): number {
	let v = 0;
	for (let k = from; k < from + count; k++) {
		const d = s.charCodeAt(k) - 48;
		if (d < 0 || d > 9) return -1;
		v = v * 10 + d;
	}
	return v;
}

export function assertTimezone(zone: string): string {
	if (!isValidTimezone(zone)) throw new Error(`unknown time zone "${zone}" (use an IANA name such as Europe/Rome or UTC)`);
	return zone;
}

export class Normalizer {
	private readonly timezone: string;
	private readonly now: number;
	private readonly seen = new Map<string, SourceLocation>();

	constructor(options: NormalizeOptions = {}) {
		this.timezone = assertTimezone(options.timezone ?? localTimezone());
		this.now = options.now ?? Date.now();
	}

	static isBlocked(findings: Finding[]): boolean {
		return findings.some((f) => f.severity === 'error');
	}

	add(draft: DraftConversation): {conversation: Conversation | undefined; findings: Finding[]} {
		const findings: Finding[] = [];
		const rawId = draft.id?.trim();
		const id = rawId || `(no id at ${formatLocation(draft.location)})`;
		const note = (f: Omit<Finding, 'conversationId'>): void => {
			findings.push({...f, conversationId: id});
		};
		if (!rawId) {
			note({severity: 'error', code: 'missing-conversation-id', message: 'Conversation has no id.', location: draft.location});
		} else {
			const first = this.seen.get(rawId);
			if (first) {
				note({
					severity: 'error',
					code: 'duplicate-conversation-id',
					message: `Conversation id "${rawId}" appears again (first at ${formatLocation(first)}).`,
					location: draft.location,
				});
			} else {
				this.seen.set(rawId, draft.location);
			}
		}

		const requesterId = draft.requester?.id?.trim() || undefined;
		const pending: Message[] = [];
		let noZone = false;
		const units = new Set<TimestampOrigin>();
		for (const m of draft.messages) {
			let text = m.text ?? '';
			// The replacements only when they can change something: this loop runs for every message of a file.
			if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
			const first = text.charCodeAt(0);
			if (first === 0xfeff || first === 0x200e) text = text.replace(/^[\uFEFF\u200E]+/, '');
			const attachments = m.attachments ?? [];
			const index = pending.length;
			if (!(first > 0x20 && first < 0x7f) && text.trim() === '' && attachments.length === 0) {
				note({
					severity: 'warning',
					code: 'missing-text',
					message: 'Message has no text and no attachment; it is left out.',
					location: m.location,
				});
				continue;
			}
			let senderId = m.senderId?.trim() || m.senderName?.trim() || '';
			let role: Role | undefined;
			if (m.role !== undefined && m.role !== '') {
				role = mapRole(String(m.role));
				if (!role) {
					note({
						severity: 'error',
						code: 'unknown-role',
						messageIndex: index,
						message: `Unknown role "${m.role}" (accepted: ${ACCEPTED_ROLE_VALUES.join(', ')}).`,
						location: m.location,
					});
				}
			} else if (senderId && requesterId && senderId === requesterId) {
				role = 'end-user';
			} else {
				note({severity: 'error', code: 'unknown-role', messageIndex: index, message: 'Message has no role.', location: m.location});
			}
			if (!senderId) {
				if (role === 'system') senderId = 'system';
				else note({severity: 'error', code: 'missing-sender', messageIndex: index, message: 'Message has no sender.', location: m.location});
			}
			// The message as it will be, its times filled in by timeline(): one object per message, in its final shape.
			const message: Message = {senderId, role: role ?? 'end-user', text, timestampOrigin: 'synthesized', clientTimestamp: 0, attachments, location: m.location};
			if (m.sourceId !== undefined) message.sourceId = m.sourceId;
			const senderName = m.senderName?.trim();
			if (senderName) message.senderName = senderName;
			if (m.timestamp !== undefined && m.timestamp !== null && m.timestamp !== '') {
				const utc = typeof m.timestamp === 'string' ? isoUtc(m.timestamp) : undefined;
				if (utc !== undefined) {
					message.timestamp = utc;
					message.timestampOrigin = 'iso-offset';
				} else {
					const parsed = parseTimestamp(m.timestamp, {timezone: this.timezone});
					if (parsed.ok) {
						message.timestamp = parsed.ms;
						message.timestampOrigin = parsed.origin;
						if (parsed.origin === 'iso-local') noZone = true;
						if (parsed.origin.startsWith('epoch-')) units.add(parsed.origin);
					} else {
						note({
							severity: 'warning',
							code: 'unparsable-timestamp',
							messageIndex: index,
							message: `Timestamp ${parsed.reason}; a time is synthesized from the message order.`,
							location: m.location,
						});
					}
				}
			}
			if (m.private) message.private = true;
			// JSON of a text is at most 6 bytes per UTF-16 unit (\uXXXX): measure only texts that might be too large.
			const size = attachments.length === 0 && text.length * 6 + 32 + MESSAGE_OVERHEAD_BYTES <= BODY_LIMIT_BYTES ? 0 : Buffer.byteLength(JSON.stringify({text, attachments})) + MESSAGE_OVERHEAD_BYTES;
			if (size > BODY_LIMIT_BYTES) {
				note({
					severity: 'error',
					code: 'message-too-large',
					messageIndex: index,
					message: `Message is ${Math.round(size / 1024)} KB; the server accepts at most 500 KB per request.`,
					location: m.location,
				});
			}
			if (text.includes('${') && TEMPLATE.test(text)) {
				note({
					severity: 'warning',
					code: 'template-placeholder',
					messageIndex: index,
					message: 'Text contains ${…}: Tiledesk replaces text containing ${KEY} entirely by the project label KEY.',
					location: m.location,
				});
			}
			pending.push(message);
		}

		if (pending.length === 0) {
			note({severity: 'error', code: 'empty-conversation', message: 'Conversation has no importable messages.', location: draft.location});
		}
		for (const origin of units) {
			const unit = {'epoch-s': 'seconds', 'epoch-ms': 'milliseconds', 'epoch-us': 'microseconds'}[origin as 'epoch-s'];
			note({severity: 'info', code: 'timestamp-unit', message: `Epoch timestamps read as ${unit} (decided by magnitude).`, location: draft.location});
		}
		if (noZone) {
			note({severity: 'info', code: 'timestamp-no-zone', message: `Timestamps without a zone interpreted in ${this.timezone}.`, location: draft.location});
		}

		const messages = this.timeline(pending, note);
		const firstEndUser = messages.find((m) => m.role === 'end-user');
		const requester = {
			id: requesterId ?? firstEndUser?.senderId ?? `requester-of-${id}`,
			...(draft.requester?.name?.trim() ? {name: draft.requester.name.trim()} : firstEndUser?.senderName ? {name: firstEndUser.senderName} : {}),
			...(draft.requester?.email?.trim() ? {email: draft.requester.email.trim()} : {}),
		};
		const conversation: Conversation = {id, requester, messages, location: draft.location};
		if (draft.subject?.trim()) conversation.subject = draft.subject.trim();
		if (draft.department) conversation.department = draft.department;
		if (draft.language) conversation.language = draft.language;
		if (draft.attributes) conversation.attributes = draft.attributes;
		return {conversation, findings};
	}

	/** Synthesizes missing times and sets strictly increasing clientTimestamps (in place); reports order problems. */
	private timeline(messages: Message[], note: (f: Omit<Finding, 'conversationId'>) => void): Message[] {
		const count = messages.length;
		// nextKnown[i]: the first index after i with a known timestamp (count if none), computed once.
		const nextKnown = new Int32Array(count + 1);
		nextKnown[count] = count;
		for (let i = count - 1; i >= 0; i--) nextKnown[i] = messages[i + 1]?.timestamp !== undefined ? i + 1 : nextKnown[i + 1]!;
		let prev: number | undefined;
		let missing = 0;
		let firstMissing: SourceLocation | undefined;
		let duplicates = 0;
		let outOfOrder = 0;
		let firstOutOfOrder: {index: number; location: SourceLocation} | undefined;
		let future = 0;
		let early = 0;
		const base = this.now - count * 1000;
		for (let i = 0; i < count; i++) {
			const m = messages[i]!;
			const timestamp = m.timestamp;
			let client: number;
			if (timestamp !== undefined) {
				const before = i > 0 ? messages[i - 1]!.timestamp : undefined;
				if (before !== undefined && timestamp < before) {
					outOfOrder++;
					firstOutOfOrder ??= {index: i, location: m.location};
				}
				if (before !== undefined && timestamp === before) duplicates++;
				if (timestamp > this.now + DAY) future++;
				if (timestamp < YEAR_2000) early++;
				client = prev === undefined ? timestamp : Math.max(timestamp, prev + 1);
			} else {
				missing++;
				firstMissing ??= m.location;
				// Between known neighbours when both exist, else one second after the previous message.
				const nextIndex = nextKnown[i]!;
				const next = nextIndex < count ? messages[nextIndex]!.timestamp : undefined;
				const gap = nextIndex - i; // = the distance to the next known timestamp
				if (prev === undefined) client = next !== undefined ? next - 1000 * gap : base + i * 1000;
				else if (next !== undefined && next - prev > 2) client = prev + Math.max(1, Math.floor((next - prev) / (gap + 1)));
				else client = prev + 1000;
				client = Math.max(client, prev === undefined ? client : prev + 1);
			}
			prev = client;
			m.clientTimestamp = client;
		}
		if (missing > 0) {
			note({
				severity: 'warning',
				code: 'timestamp-missing',
				message: `${missing} message(s) without a usable timestamp; times synthesized from the message order.`,
				...(firstMissing ? {location: firstMissing} : {}),
			});
		}
		if (outOfOrder > 0) {
			note({
				severity: 'warning',
				code: 'timestamp-out-of-order',
				messageIndex: firstOutOfOrder!.index,
				message: `${outOfOrder} message(s) earlier than the message before them; file order is kept and times nudged to increase.`,
				location: firstOutOfOrder!.location,
			});
		}
		if (duplicates > 0) {
			note({severity: 'info', code: 'timestamp-duplicate', message: `${duplicates} message(s) share the previous message's time; each gets +1 ms.`});
		}
		if (future > 0) note({severity: 'warning', code: 'timestamp-future', message: `${future} message(s) are more than a day in the future.`});
		if (early > 0) {
			note({
				severity: 'warning',
				code: 'timestamp-before-2000',
				message: `${early} message(s) are dated before 2000: likely seconds read as milliseconds or vice versa.`,
			});
		}
		return messages;
	}
}
