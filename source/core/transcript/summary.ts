/** A streaming summary of a transcript for the preview (and later the wizard): O(conversations) memory at most. */
import type {Finding, FindingCode, Severity} from '../model/findings.js';
import type {Conversation, Role, SourceLocation} from '../model/transcript.js';
import type {LoadedItem} from './load.js';

export interface FindingGroup {
	code: FindingCode;
	severity: Severity;
	count: number;
	examples: {message: string; conversationId?: string; location?: SourceLocation}[];
}

export interface TranscriptSummary {
	conversations: number;
	blockedConversations: number;
	messages: number;
	participants: Record<Role, number>;
	messagesByRole: Record<Role, number>;
	firstTimestamp?: number;
	lastTimestamp?: number;
	/** UTC day (YYYY-MM-DD) → messages. */
	messagesPerDay: Record<string, number>;
	findings: FindingGroup[];
	errors: number;
	warnings: number;
}

const DAY = 86_400_000;
const SEVERITY_ORDER: Record<Severity, number> = {error: 0, warning: 1, info: 2};

export class SummaryBuilder {
	private conversations = 0;
	private blocked = 0;
	private messages = 0;
	private readonly senders: Record<Role, Set<string>> = {'end-user': new Set(), agent: new Set(), bot: new Set(), system: new Set()};
	private readonly byRole: Record<Role, number> = {'end-user': 0, agent: 0, bot: 0, system: 0};
	private first?: number;
	private last?: number;
	/** UTC day number → messages, in first-seen order (the day's name is made once, in result()). */
	private readonly perDay = new Map<number, number>();
	private readonly groups = new Map<FindingCode, FindingGroup>();
	private errors = 0;
	private warnings = 0;

	constructor(private readonly examplesPerCode = 3) {}

	add(item: LoadedItem): void {
		if (item.conversation) this.addConversation(item.conversation, item.findings);
		for (const f of item.findings) this.addFinding(f);
	}

	private addConversation(c: Conversation, findings: Finding[]): void {
		this.conversations++;
		if (findings.some((f) => f.severity === 'error')) this.blocked++;
		// Consecutive messages mostly share a sender and a day: those are counted without a Set or Map operation.
		let lastRole: Role | undefined;
		let lastSender: string | undefined;
		let day = NaN;
		let sameDay = 0;
		for (const m of c.messages) {
			this.messages++;
			this.byRole[m.role]++;
			if (m.role !== lastRole || m.senderId !== lastSender) {
				this.senders[m.role].add(m.senderId);
				lastRole = m.role;
				lastSender = m.senderId;
			}
			if (m.timestamp !== undefined) {
				if (this.first === undefined || m.timestamp < this.first) this.first = m.timestamp;
				if (this.last === undefined || m.timestamp > this.last) this.last = m.timestamp;
			}
			const d = Math.floor(m.clientTimestamp / DAY);
			if (d !== day) {
				if (sameDay > 0) this.perDay.set(day, (this.perDay.get(day) ?? 0) + sameDay);
				day = d;
				sameDay = 0;
			}
			sameDay++;
		}
		if (sameDay > 0) this.perDay.set(day, (this.perDay.get(day) ?? 0) + sameDay);
	}

	private addFinding(f: Finding): void {
		if (f.severity === 'error') this.errors++;
		if (f.severity === 'warning') this.warnings++;
		let g = this.groups.get(f.code);
		if (!g) {
			g = {code: f.code, severity: f.severity, count: 0, examples: []};
			this.groups.set(f.code, g);
		}
		if (SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[g.severity]) g.severity = f.severity;
		g.count++;
		if (g.examples.length < this.examplesPerCode) {
			g.examples.push({message: f.message, ...(f.conversationId ? {conversationId: f.conversationId} : {}), ...(f.location ? {location: f.location} : {})});
		}
	}

	private messagesPerDay(): Record<string, number> {
		const out: Record<string, number> = {};
		for (const [day, count] of this.perDay) {
			const date = new Date(day * DAY);
			const name = Number.isNaN(date.getTime()) ? 'invalid date' : date.toISOString().slice(0, 10);
			out[name] = (out[name] ?? 0) + count;
		}
		return out;
	}

	result(): TranscriptSummary {
		const participants = Object.fromEntries(Object.entries(this.senders).map(([r, s]) => [r, s.size])) as Record<Role, number>;
		return {
			conversations: this.conversations,
			blockedConversations: this.blocked,
			messages: this.messages,
			participants,
			messagesByRole: {...this.byRole},
			...(this.first !== undefined ? {firstTimestamp: this.first} : {}),
			...(this.last !== undefined ? {lastTimestamp: this.last} : {}),
			messagesPerDay: this.messagesPerDay(),
			findings: [...this.groups.values()].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.count - a.count),
			errors: this.errors,
			warnings: this.warnings,
		};
	}
}
