/**
 * Assembles one conversation from its rows, read in file order (the rows come from the offset index, ./row-index.ts,
 * so only one conversation is held at a time). The first row makes the conversation and gives its location;
 * conversation-level fields (subject, requester) are taken from the first row that has them.
 */
import type {DraftConversation, DraftMessage} from '../../model/draft.js';
import type {SourceLocation} from '../../model/transcript.js';

export class ConversationAssembler {
	draft: DraftConversation | undefined;

	/** A message row (CSV row, JSONL message line). */
	addMessage(conversationId: string, message: DraftMessage, location: SourceLocation, header?: Partial<DraftConversation>): void {
		let c = this.draft;
		if (!c) {
			c = {id: conversationId, messages: [], location};
			this.draft = c;
		}
		if (header) {
			if (header.subject && !c.subject) c.subject = header.subject;
			if (header.requester) c.requester = {...header.requester, ...c.requester};
		}
		c.messages.push(message);
	}

	/** A whole conversation on one row (JSONL line with `messages`): the first one gives the header, later ones add messages. */
	addConversation(draft: DraftConversation & {id: string}): void {
		if (this.draft) this.draft.messages.push(...draft.messages);
		else this.draft = draft;
	}
}
