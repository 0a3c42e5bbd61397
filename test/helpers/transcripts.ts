/** Small in-memory transcripts for engine tests: drafts normalized exactly as a reader's would be. */
import type {DraftConversation} from '../../source/core/model/draft.js';
import {Normalizer} from '../../source/core/normalize/index.js';
import type {TranscriptSource} from '../../source/core/import/engine.js';
import type {LoadedItem} from '../../source/core/transcript/load.js';

export function draftConversation(id: string, messages: number, options: {start?: number; roles?: ('end-user' | 'agent' | 'bot' | 'system')[]} = {}): DraftConversation {
	const start = options.start ?? Date.UTC(2025, 2, 3, 9, 0, 0);
	const roles = options.roles ?? ['end-user', 'agent', 'bot'];
	return {
		id,
		requester: {id: `cust-${id}`, name: `Customer ${id}`, email: `${id}@example.com`},
		subject: `Subject ${id}`,
		messages: Array.from({length: messages}, (_, i) => {
			const role = roles[i % roles.length]!;
			const sender = role === 'end-user' ? `cust-${id}` : role === 'agent' ? 'agent-tom' : role === 'bot' ? 'helpbot' : 'system';
			return {
				sourceId: `${id}-m${i}`,
				senderId: sender,
				senderName: role === 'end-user' ? `Customer ${id}` : role === 'agent' ? 'Tom (Support)' : role === 'bot' ? 'HelpBot' : 'System',
				role,
				text: `${id} message ${i}`,
				timestamp: new Date(start + i * 60_000).toISOString(),
				location: {file: 'test.json', line: i + 1},
			};
		}),
		location: {file: 'test.json', line: 1},
	};
}

export function normalize(drafts: DraftConversation[]): LoadedItem[] {
	const normalizer = new Normalizer({timezone: 'UTC', now: Date.UTC(2026, 0, 1)});
	return drafts.map((d) => {
		const {conversation, findings} = normalizer.add(d);
		return conversation ? {conversation, findings} : {findings};
	});
}

export function sourceOf(drafts: DraftConversation[], format = 'json'): TranscriptSource {
	const items = normalize(drafts);
	return {
		file: 'test.json',
		format,
		async *items() {
			for (const item of items) yield item;
		},
	};
}

export function conversations(count: number, messages: number, prefix = 'c'): DraftConversation[] {
	return Array.from({length: count}, (_, i) => draftConversation(`${prefix}${i}`, messages));
}
