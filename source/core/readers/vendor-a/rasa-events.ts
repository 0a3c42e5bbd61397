/**
 * Rasa tracker events → draft conversations. Shared by the tracker JSON, bare event arrays, and `events` table
 * dumps.
 *
 * Decisions (documented in docs/formats-a.md):
 * - Order: the source order (array order; table `id` order) is kept, never re-sorted by `timestamp`: it is the
 *   order Rasa applied the events, and timestamps of neighbouring events are known to disagree by a few ms. The
 *   normalizer reports and nudges any message that is earlier than the one before it.
 * - `user` → end-user (sender = `sender_id`), `bot` → bot (sender `bot`).
 * - An `utter_*` action not followed by a `bot` event before the next action/user event is a bot turn that has no
 *   text in the tracker: it becomes a bot message `[utter_name]`, counted in one info finding.
 * - Other events (`action`, `slot`, `session_started`, …) are skipped and counted in one `skipped-record` finding.
 * - `splitSessions`: a conversation per session, id `<sender_id>#<n>` where n counts the `session_started` events
 *   before it (0 for events before the first one).
 */
import type {DraftConversation, DraftMessage} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {Attachment, SourceLocation} from '../../model/transcript.js';
import type {ReadOptions} from '../types.js';
import {isRecord, str} from './json-file.js';
import {fileNameOf} from './url-name.js';

export interface LocatedEvent {
	event: Record<string, unknown>;
	location: SourceLocation;
}

export const RASA_EVENT_TYPES = ['user', 'bot', 'action', 'slot', 'session_started', 'user_featurization', 'active_loop', 'restart', 'rewind', 'followup', 'reminder', 'action_execution_rejected', 'loop_interrupted', 'entities', 'stack', 'pause', 'resume', 'export', 'agent', 'undo', 'user_utterance_reverted', 'action_reverted', 'reset_slots', 'all_slots_reset', 'cancel_reminder'];

function timestampOf(e: Record<string, unknown>): DraftMessage['timestamp'] {
	const raw = e['timestamp'];
	const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
	// Rasa: float epoch seconds with microseconds.
	return Number.isFinite(n) ? {epochMs: Math.round(n * 1000)} : raw === undefined || raw === null ? null : String(raw);
}

function botAttachments(data: unknown): Attachment[] {
	if (!isRecord(data)) return [];
	const out: Attachment[] = [];
	const image = str(data['image']);
	if (image) out.push({url: image, name: fileNameOf(image)});
	const attachment = data['attachment'];
	const url = typeof attachment === 'string' ? attachment : isRecord(attachment) && isRecord(attachment['payload']) ? str(attachment['payload']['src']) ?? str(attachment['payload']['url']) : undefined;
	if (url) out.push({url, name: fileNameOf(url)});
	return out;
}

function buttonsText(data: unknown): string {
	if (!isRecord(data)) return '';
	const buttons = Array.isArray(data['buttons']) ? data['buttons'] : Array.isArray(data['quick_replies']) ? data['quick_replies'] : [];
	const titles = buttons.map((b) => (isRecord(b) ? str(b['title']) : undefined)).filter((t): t is string => Boolean(t));
	return titles.length > 0 ? titles.map((t) => `[${t}]`).join(' ') : '';
}

/** Maps one sender's events to one or more drafts (several with `splitSessions`). */
export function eventsToDrafts(senderId: string, events: LocatedEvent[], options: ReadOptions, location: SourceLocation): {drafts: DraftConversation[]; findings: Finding[]} {
	const drafts: DraftConversation[] = [];
	const findings: Finding[] = [];
	let session = 0;
	let current: {id: string; messages: DraftMessage[]; skipped: Map<string, number>; placeholders: number; location: SourceLocation} | undefined;
	const flush = (): void => {
		if (!current) return;
		const {id, messages, skipped, placeholders} = current;
		if (messages.length > 0 || !options.splitSessions) {
			drafts.push({id, requester: {id: senderId}, messages, location: current.location});
			if (placeholders > 0) {
				findings.push({
					severity: 'info',
					code: 'skipped-record',
					conversationId: id,
					message: `${placeholders} bot turn(s) exist only as utter_* actions without text; imported as "[utter_name]" placeholders.`,
					location: current.location,
				});
			}
			if (skipped.size > 0) {
				const total = [...skipped.values()].reduce((a, b) => a + b, 0);
				findings.push({
					severity: 'info',
					code: 'skipped-record',
					conversationId: id,
					message: `${total} non-message event(s) skipped (${[...skipped].map(([k, v]) => `${k}: ${v}`).join(', ')}).`,
					location: current.location,
				});
			}
		}
		current = undefined;
	};
	const start = (at: SourceLocation): void => {
		flush();
		current = {id: options.splitSessions ? `${senderId}#${session}` : senderId, messages: [], skipped: new Map(), placeholders: 0, location: at};
	};
	start(events[0]?.location ?? location);
	for (let i = 0; i < events.length; i++) {
		const {event: e, location: at} = events[i]!;
		const type = str(e['event']) ?? '(no event type)';
		const c = current!;
		const skip = (): void => {
			c.skipped.set(type, (c.skipped.get(type) ?? 0) + 1);
		};
		if (type === 'session_started' && options.splitSessions) {
			session++;
			start(at);
			current!.skipped.set(type, 1);
			continue;
		}
		if (type === 'user') {
			const parse = isRecord(e['parse_data']) ? e['parse_data'] : undefined;
			const intent = parse && isRecord(parse['intent']) ? str(parse['intent']['name']) : undefined;
			const text = str(e['text']) ?? (intent ? `/${intent}` : '');
			const m: DraftMessage = {senderId, role: 'end-user', text, timestamp: timestampOf(e), location: at};
			const id = str(e['message_id']);
			if (id) m.sourceId = id;
			c.messages.push(m);
		} else if (type === 'bot') {
			const buttons = buttonsText(e['data']);
			const text = [str(e['text']) ?? '', buttons].filter(Boolean).join('\n');
			const m: DraftMessage = {senderId: 'bot', role: 'bot', text, timestamp: timestampOf(e), location: at};
			const attachments = botAttachments(e['data']);
			if (attachments.length > 0) m.attachments = attachments;
			c.messages.push(m);
		} else if (type === 'action' && /^utter_/.test(str(e['name']) ?? '') && !hasBotEventNext(events, i)) {
			c.messages.push({senderId: 'bot', role: 'bot', text: `[${str(e['name'])}]`, timestamp: timestampOf(e), location: at});
			c.placeholders++;
		} else {
			skip();
		}
	}
	flush();
	return {drafts, findings};
}

/** Whether a `bot` event follows event i before the next `action` or `user` event (then it carries the text). */
function hasBotEventNext(events: LocatedEvent[], i: number): boolean {
	for (let j = i + 1; j < events.length; j++) {
		const type = events[j]!.event['event'];
		if (type === 'bot') return true;
		if (type === 'action' || type === 'user') return false;
	}
	return false;
}
