/**
 * Private notes / internal comments (Zendesk `public: false`, Intercom `note` parts, Freshdesk `private: true`,
 * Gorgias internal notes), per `ReadOptions.privateNotes`: skipped by default, or imported as messages with
 * `private: true`. Either way they are counted in one `private-note` info finding per conversation.
 */
import type {Finding} from '../../model/findings.js';
import type {SourceLocation} from '../../model/transcript.js';
import type {ReadOptions} from '../types.js';

export class PrivateNotes {
	private count = 0;
	private readonly mode: 'skip' | 'import';

	constructor(options: ReadOptions) {
		this.mode = options.privateNotes ?? 'skip';
	}

	/** Counts a note; true when it must be imported (as a message with `private: true`). */
	keep(): boolean {
		this.count++;
		return this.mode === 'import';
	}

	/** The finding for this conversation, when it had notes. */
	finding(conversationId: string, location: SourceLocation): Finding | undefined {
		if (this.count === 0) return undefined;
		const n = this.count;
		const message =
			this.mode === 'import'
				? `${n} private note(s) imported as messages marked private.`
				: `${n} private note(s) skipped; use --private-notes import to import them as messages marked private.`;
		return {severity: 'info', code: 'private-note', conversationId, message, location};
	}
}
