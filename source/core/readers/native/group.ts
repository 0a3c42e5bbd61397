/**
 * Groups message rows into conversations, keeping first-appearance order of conversations and file order of
 * messages. Buffers every conversation until the end of the file: the scale issue replaces this module with an
 * offset index so memory stays bounded. Contiguous runs are common, but a conversation may reappear later.
 */
import type {DraftConversation, DraftMessage} from '../../model/draft.js';
import type {SourceLocation} from '../../model/transcript.js';

export class RowGrouper {
	private readonly conversations = new Map<string, DraftConversation>();

	add(conversationId: string, message: DraftMessage, location: SourceLocation, header?: Partial<DraftConversation>): void {
		let c = this.conversations.get(conversationId);
		if (!c) {
			c = {id: conversationId, messages: [], location};
			this.conversations.set(conversationId, c);
		}
		if (header) {
			if (header.subject && !c.subject) c.subject = header.subject;
			if (header.requester) c.requester = {...header.requester, ...c.requester};
		}
		c.messages.push(message);
	}

	addConversation(draft: DraftConversation & {id: string}): void {
		const existing = this.conversations.get(draft.id);
		if (existing) existing.messages.push(...draft.messages);
		else this.conversations.set(draft.id, draft);
	}

	*drain(): Iterable<DraftConversation> {
		yield* this.conversations.values();
		this.conversations.clear();
	}
}
