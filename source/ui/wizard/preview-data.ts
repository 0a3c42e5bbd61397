/**
 * What the preview screens show, gathered in one pass over the transcript with progress: the summary, a light
 * entry per conversation (for the windowed, searchable list), the findings, the participants (for the mapping
 * step), and conversations read on demand for the conversation view. No React here.
 */
import {stat} from 'node:fs/promises';
import type {Finding} from '../../core/model/findings.js';
import type {Conversation, Role} from '../../core/model/transcript.js';
import type {OpenTranscript} from '../../core/transcript/load.js';
import {SummaryBuilder, type TranscriptSummary} from '../../core/transcript/summary.js';

export interface Entry {
	index: number;
	id: string;
	messages: number;
	requester: string;
	subject?: string;
	first?: number;
	last?: number;
	errors: number;
	warnings: number;
}

export interface Participant {
	name: string;
	role: Role;
	messages: number;
}

export interface PreviewData {
	format: {id: string; label: string; reason: string};
	summary: TranscriptSummary;
	entries: Entry[];
	findings: Finding[];
	participants: Participant[];
	readConversation(index: number, signal?: AbortSignal): Promise<{conversation: Conversation; findings: Finding[]} | undefined>;
}

export interface ScanProgress {
	/** 0 while the reader cannot tell; the file size at the end. */
	bytesRead: number;
	totalBytes: number;
	conversations: number;
	messages: number;
}

const KEEP_CONVERSATIONS = 500;
const KEEP_FINDINGS = 5000;
const KEEP_PARTICIPANTS = 200;

export async function scanForPreview(transcript: OpenTranscript, options: {signal?: AbortSignal; onProgress?: (p: ScanProgress) => void} = {}): Promise<PreviewData> {
	const totalBytes = (await stat(transcript.path)).size;
	const builder = new SummaryBuilder(5);
	const entries: Entry[] = [];
	const findings: Finding[] = [];
	const kept = new Map<number, {conversation: Conversation; findings: Finding[]}>();
	const participants = new Map<string, Participant>();
	let messages = 0;
	let lastReport = 0;
	for await (const item of transcript.items(options.signal)) {
		builder.add(item);
		for (const f of item.findings) if (findings.length < KEEP_FINDINGS) findings.push(f);
		const c = item.conversation;
		if (!c) continue;
		const index = entries.length;
		const times = c.messages.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
		entries.push({
			index,
			id: c.id,
			messages: c.messages.length,
			requester: c.requester.name ?? c.requester.id,
			...(c.subject ? {subject: c.subject} : {}),
			...(times.length ? {first: Math.min(...times), last: Math.max(...times)} : {}),
			errors: item.findings.filter((f) => f.severity === 'error').length,
			warnings: item.findings.filter((f) => f.severity === 'warning').length,
		});
		if (index < KEEP_CONVERSATIONS) kept.set(index, {conversation: c, findings: item.findings});
		messages += c.messages.length;
		for (const m of c.messages) {
			const name = m.senderName ?? m.senderId;
			const p = participants.get(name);
			if (p) p.messages++;
			else if (participants.size < KEEP_PARTICIPANTS) participants.set(name, {name, role: m.role, messages: 1});
		}
		const now = Date.now();
		if (options.onProgress && now - lastReport > 50) {
			lastReport = now;
			options.onProgress({bytesRead: 0, totalBytes, conversations: entries.length, messages});
		}
	}
	options.onProgress?.({bytesRead: totalBytes, totalBytes, conversations: entries.length, messages});
	return {
		format: {id: transcript.format, label: transcript.label, reason: transcript.detection.reason},
		summary: builder.result(),
		entries,
		findings,
		participants: [...participants.values()].sort((a, b) => b.messages - a.messages),
		async readConversation(index, signal) {
			const hit = kept.get(index);
			if (hit) return hit;
			// Beyond the first conversations, read the file again up to the one wanted (only for big files).
			let i = 0;
			for await (const item of transcript.items(signal)) {
				if (!item.conversation) continue;
				if (i === index) return {conversation: item.conversation, findings: item.findings};
				i++;
			}
			return undefined;
		},
	};
}

/** Case-insensitive search over ids, requesters and subjects; returns entry indexes. */
export function searchEntries(entries: readonly Entry[], query: string): number[] {
	const q = query.trim().toLowerCase();
	if (!q) return entries.map((e) => e.index);
	return entries.filter((e) => e.id.toLowerCase().includes(q) || e.requester.toLowerCase().includes(q) || (e.subject?.toLowerCase().includes(q) ?? false)).map((e) => e.index);
}
