/**
 * Deterministic identities, so a re-run (with or without the journal) finds what an earlier run created:
 * the conversation's `request_id`, each message's import key, and stable sender ids for agents and bots.
 */
import {createHash} from 'node:crypto';
import type {Message} from '../model/transcript.js';

const sha = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

/**
 * `support-group-<projectId>-<32 hex>`: the prefix is required by Tiledesk (the chat21 webhook ignores other
 * recipients); the hash covers the project, the source identity (e.g. `zendesk-support`, or `--source NAME`) and
 * the conversation's id in the source. `request_id` is unique across all projects of a server, hence the project.
 */
export function requestIdFor(projectId: string, source: string, conversationId: string): string {
	return `support-group-${projectId}-${sha('tiledesk-import/v1', projectId, source, conversationId).slice(0, 32)}`;
}

/**
 * A message's import key: run-independent (the conversation's request id is already unique, so the position in
 * the normalized conversation is enough). Stored in `attributes.import_key`; the read-back diff uses it.
 */
export function messageKey(index: number): string {
	return `m${index}`;
}

/** The index back from a key, or undefined for a message that is not ours (e.g. an agent replied in Tiledesk). */
export function keyIndex(key: unknown): number | undefined {
	if (typeof key !== 'string' || !/^m\d{1,9}$/.test(key)) return undefined;
	return Number(key.slice(1));
}

/**
 * Tiledesk sender for a transcript message. End-user lines come from the conversation's anonymous requester;
 * agents and bots get a stable id per source sender (`bot_…` is how Tiledesk marks bots); system lines are
 * Tiledesk's own `system` sender.
 */
export function senderFor(message: Pick<Message, 'role' | 'senderId'>, requesterId: string, source: string): string {
	switch (message.role) {
		case 'end-user':
			return requesterId;
		case 'system':
			return 'system';
		case 'bot':
			return `bot_import-${sha(source, message.senderId).slice(0, 16)}`;
		case 'agent':
			return `import-agent-${sha(source, message.senderId).slice(0, 16)}`;
	}
}

/** A short run id, sortable by start time (UTC, to the second): `20261125-060212-3fa9c1`. */
export function newRunId(now: number = Date.now(), random: () => number = Math.random): string {
	const d = new Date(now).toISOString();
	const stamp = `${d.slice(0, 10).replaceAll('-', '')}-${d.slice(11, 19).replaceAll(':', '')}`;
	return `${stamp}-${Math.floor(random() * 0xffffff).toString(16).padStart(6, '0')}`;
}

export function fingerprintOf(...parts: string[]): string {
	return sha(...parts).slice(0, 16);
}
