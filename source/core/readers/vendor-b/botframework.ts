/**
 * Microsoft Bot Framework `.transcript` files (formats.md §2, spec T2100–T2102): a flat array of activities or
 * `{"transcript": […]}` (also a Direct Line `{"activities": […]}` page). Activities are streamed and grouped by
 * `conversation.id` (first-appearance order, file order within a conversation; never re-sorted).
 *
 * Only `type: "message"` activities are imported; the others (`conversationUpdate`, `typing`, `event`, `trace`, …)
 * and children without a `type` are counted (`skipped-record`, info). Roles: `from.role` user → end-user, bot/skill →
 * bot; `--bots`/`--agents` by id or name win; a missing role is inferred from the conversation (ids seen with a role,
 * and the recipient: a message sent to the bot is the user's) and reported (`role-assumed`). Text: `text`, plus the
 * titles/texts of cards and suggested actions; file attachments are links, and `data:` URIs keep only name, MIME
 * type and size (never inlined). Time: `timestamp` (UTC), else `localTimestamp` (with its offset).
 * Conversation id: `botframework:<conversation.id>` (the Emulator's `|livechat` suffix is kept).
 */
import type {DraftConversation, DraftMessage, ReadItem} from '../../model/draft.js';
import type {Finding} from '../../model/findings.js';
import type {Attachment, Role, SourceLocation} from '../../model/transcript.js';
import type {Detection, FormatReader, Probe, ReadOptions} from '../types.js';
import {isRecord, str} from '../vendor-a/json-file.js';
import {attachmentOf} from './attachments.js';
import {bump, conversationId, fileStem, findingItem, info, jsonStart, listed, tally, text} from './common.js';
import {readJsonRecords} from './records.js';

interface Party {
	id?: string;
	name?: string;
	role?: string;
}

interface Activity {
	value: Record<string, unknown>;
	location: SourceLocation;
}

interface Group {
	id: string;
	location: SourceLocation;
	messages: Activity[];
	skipped: Map<string, number>;
	/** Ids known to be the bot / the user from activities that carry roles (any type). */
	bots: Set<string>;
	users: Set<string>;
	channel?: string;
}

const party = (value: unknown): Party => {
	if (!isRecord(value)) return {};
	const p: Party = {};
	const id = str(value['id']);
	const name = text(value['name']);
	const role = text(value['role'])?.toLowerCase();
	if (id) p.id = id;
	if (name) p.name = name;
	if (role) p.role = role;
	return p;
};

const BOT_ROLES = new Set(['bot', 'skill']);

function learnRoles(group: Group, a: Record<string, unknown>): void {
	const from = party(a['from']);
	const to = party(a['recipient']);
	for (const [p, other] of [
		[from, to],
		[to, from],
	] as const) {
		if (!p.id || !p.role) continue;
		if (BOT_ROLES.has(p.role)) {
			group.bots.add(p.id);
			if (other.id && !other.role) group.users.add(other.id);
		} else if (p.role === 'user') {
			group.users.add(p.id);
			if (other.id && !other.role) group.bots.add(other.id);
		}
	}
}

/** Text of a card attachment: title, subtitle, text, adaptive TextBlocks, and button titles as `[Title]`. */
function cardText(content: unknown): string[] {
	if (!isRecord(content)) return [];
	const lines: string[] = [];
	for (const key of ['title', 'subtitle', 'text']) {
		const v = text(content[key]);
		if (v) lines.push(v);
	}
	const walk = (items: unknown): void => {
		if (!Array.isArray(items)) return;
		for (const item of items) {
			if (!isRecord(item)) continue;
			if (item['type'] === 'TextBlock' && text(item['text'])) lines.push(text(item['text'])!);
			walk(item['items']);
			walk(item['columns']);
		}
	};
	walk(content['body']);
	const buttons = [content['buttons'], content['actions']].flatMap((b) => (Array.isArray(b) ? b : [])).map((b) => (isRecord(b) ? text(b['title']) : undefined));
	const titles = buttons.filter((b): b is string => b !== undefined);
	if (titles.length > 0) lines.push(titles.map((t) => `[${t}]`).join(' '));
	return lines;
}

function messageOf(activity: Activity, group: Group, options: ReadOptions, assumed: Map<string, Role>): DraftMessage {
	const a = activity.value;
	const from = party(a['from']);
	const to = party(a['recipient']);
	let role: Role;
	if (listed(options.bots, from.id, from.name)) role = 'bot';
	else if (listed(options.agents, from.id, from.name)) role = 'agent';
	else if (from.role === 'user') role = 'end-user';
	else if (from.role && BOT_ROLES.has(from.role)) role = 'bot';
	else {
		if (from.id && group.bots.has(from.id)) role = 'bot';
		else if (from.id && group.users.has(from.id)) role = 'end-user';
		else if (to.id && group.bots.has(to.id)) role = 'end-user';
		else if (to.id && group.users.has(to.id)) role = 'bot';
		else if (to.role && BOT_ROLES.has(to.role)) role = 'end-user';
		else if (to.role === 'user') role = 'bot';
		else role = /\bbot\b/i.test(`${from.id ?? ''} ${from.name ?? ''}`) ? 'bot' : 'end-user';
		assumed.set(from.name ?? from.id ?? '(unnamed)', role);
	}
	const lines: string[] = [];
	const body = str(a['text'])?.trim();
	if (body) lines.push(body);
	const attachments: Attachment[] = [];
	if (Array.isArray(a['attachments'])) {
		for (const item of a['attachments']) {
			if (!isRecord(item)) continue;
			const contentType = text(item['contentType']);
			if (contentType?.startsWith('application/vnd.microsoft.card.')) {
				lines.push(...cardText(item['content']));
				continue;
			}
			const attachment = attachmentOf({name: str(item['name']), url: str(item['contentUrl']) ?? str(item['thumbnailUrl']), mimeType: contentType});
			if (attachment) attachments.push(attachment);
		}
	}
	const suggested = isRecord(a['suggestedActions']) && Array.isArray(a['suggestedActions']['actions']) ? a['suggestedActions']['actions'] : [];
	const titles = suggested.map((s) => (isRecord(s) ? text(s['title']) : undefined)).filter((t): t is string => t !== undefined);
	if (titles.length > 0) lines.push(titles.map((t) => `[${t}]`).join(' '));
	const message: DraftMessage = {location: activity.location, role, senderId: from.id ?? from.name ?? '', text: lines.join('\n')};
	if (from.name) message.senderName = from.name;
	const sourceId = str(a['id']);
	if (sourceId) message.sourceId = sourceId;
	const time = str(a['timestamp']) ?? str(a['localTimestamp']);
	message.timestamp = time ?? null;
	if (attachments.length > 0) message.attachments = attachments;
	return message;
}

function groupToDraft(group: Group, options: ReadOptions): {draft: DraftConversation; findings: Finding[]} {
	const findings: Finding[] = [];
	const assumed = new Map<string, Role>();
	const messages = group.messages.map((m) => messageOf(m, group, options, assumed));
	if (group.skipped.size > 0) {
		const n = [...group.skipped.values()].reduce((a, b) => a + b, 0);
		findings.push(info('skipped-record', `${n} non-message activit${n === 1 ? 'y' : 'ies'} skipped (${tally(group.skipped)}).`, group.location, group.id));
	}
	if (assumed.size > 0) {
		const list = [...assumed].map(([who, role]) => `"${who}" → ${role}`).join(', ');
		findings.push(info('role-assumed', `Messages without from.role: ${list} (inferred from the other participants; use --bots/--agents if wrong).`, group.location, group.id));
	}
	const draft: DraftConversation = {id: group.id, messages, location: group.location};
	if (group.channel) draft.attributes = {botframeworkChannel: group.channel};
	return {draft, findings};
}

async function* read(path: string, options: ReadOptions, signal?: AbortSignal): AsyncIterable<ReadItem> {
	const groups = new Map<string, Group>();
	let unnamed = 0;
	let firstUnnamed: SourceLocation | undefined;
	for await (const item of readJsonRecords(path, {wrappers: ['transcript', 'activities'], ...(signal ? {signal} : {})})) {
		if (signal?.aborted) return;
		if (item.kind === 'finding') {
			yield item;
			continue;
		}
		if (item.kind !== 'record') continue;
		const {value, location} = item.record;
		if (!isRecord(value)) {
			yield findingItem({severity: 'warning', code: 'invalid-record', message: `${item.record.path} is not an object (expected an activity); skipped.`, location});
			continue;
		}
		const conversation = isRecord(value['conversation']) ? str(value['conversation']['id']) : undefined;
		if (!conversation) {
			unnamed++;
			firstUnnamed ??= location;
		}
		const id = conversationId('botframework', conversation ?? fileStem(path));
		let group = groups.get(id);
		if (!group) {
			group = {id, location, messages: [], skipped: new Map(), bots: new Set(), users: new Set()};
			groups.set(id, group);
		}
		const channel = text(value['channelId']);
		if (channel) group.channel ??= channel;
		learnRoles(group, value);
		const type = text(value['type']);
		if (type === 'message') group.messages.push({value, location});
		else bump(group.skipped, type ?? '(no type)');
	}
	if (unnamed > 0) {
		yield findingItem(info('missing-conversation-id', `${unnamed} activit${unnamed === 1 ? 'y has' : 'ies have'} no conversation.id; they form the conversation "${conversationId('botframework', fileStem(path))}" (the file name).`, firstUnnamed!));
	}
	for (const group of groups.values()) {
		const {draft, findings} = groupToDraft(group, options);
		for (const f of findings) yield findingItem(f);
		yield {kind: 'conversation', draft};
	}
}

const ACTIVITY_TYPES = /"type"\s*:\s*"(message|conversationUpdate|typing|event|trace|endOfConversation|invoke|messageReaction|installationUpdate)"/;

function detect(probe: Probe): Detection {
	const t = probe.headText;
	const start = jsonStart(t);
	const ext = probe.extension === 'transcript';
	if (!start) return ext ? {confidence: 0.3, reason: '.transcript extension'} : {confidence: 0, reason: 'not JSON'};
	if (start === '{' && /^\{\s*"transcript"\s*:\s*\[/.test(t.trimStart())) return {confidence: 0.95, reason: 'object with transcript[] (Bot Framework)'};
	const activity = /"recipient"\s*:\s*\{/.test(t) && /"from"\s*:\s*\{/.test(t) && /"conversation"\s*:\s*\{/.test(t) && ACTIVITY_TYPES.test(t);
	if (activity) return {confidence: ext ? 0.95 : 0.9, reason: 'activities with type, from, recipient and conversation (Bot Framework)'};
	if (ext) return {confidence: 0.3, reason: '.transcript extension'};
	return {confidence: 0, reason: 'no Bot Framework activities'};
}

export const botframeworkReader: FormatReader = {
	id: 'botframework',
	label: 'Bot Framework transcript',
	extensions: ['transcript', 'json'],
	detect,
	read,
};
