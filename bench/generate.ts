/**
 * Deterministic generator of realistic transcripts for the benchmarks: conversations of 3–25 messages with roles,
 * increasing timestamps, text lengths from a word to several paragraphs (commas, quotes, newlines, accents, emoji),
 * several conversations interleaved, and a few rows of a conversation scattered far later in the file.
 * The same messages are written as native JSON (`{"conversations": […]}`), JSONL (one message per line) and CSV
 * (one message per row, multi-line quoted cells). Files are cached under bench/out/data and regenerated only when
 * missing.
 */
import {closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync} from 'node:fs';
import {join} from 'node:path';

export type BenchFormat = 'json' | 'jsonl' | 'csv';
export const FORMATS: BenchFormat[] = ['json', 'jsonl', 'csv'];

export interface GeneratedFile {
	path: string;
	format: BenchFormat;
	messages: number;
	bytes: number;
}

interface Msg {
	conversationId: string;
	id: string;
	timestamp: string;
	senderId: string;
	senderName: string;
	role: string;
	text: string;
	/** Conversation-level fields, on the first message of each conversation only. */
	requesterEmail?: string;
	subject?: string;
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const FIRST = ['Maria', 'John', 'Aiko', 'Lukas', 'Sofia', 'Omar', 'Chloé', 'Priya', 'Ben', 'Elena', 'Jörg', 'Zoë', 'Ahmed', 'Lucía', 'Wei'];
const LAST = ['Rossi', 'Carter', 'Tanaka', 'Becker', 'Martínez', 'Haddad', 'Dubois', 'Nair', 'Okafor', 'Petrova', 'Müller', 'Smith'];
const AGENTS = [
	['agent-giulia', 'Giulia (Support)'],
	['agent-tom', 'Tom (Billing)'],
	['agent-nadia', 'Nadia (Tech)'],
	['agent-li', 'Li Na'],
] as const;
const SUBJECTS = ['Order not delivered', 'Refund for a damaged item', 'Password reset link expired', 'Invoice with the wrong VAT number', 'Cannot connect the mobile app', 'Change of address', 'Question about my subscription'];
const WORDS = (
	'the order parcel refund invoice account password link app version please thanks hello could you check ' +
	'delivery address apartment courier depot tomorrow between morning evening support ticket number issue ' +
	'sorry problem update restart phone e-mail spam folder again working fixed broken payment card bank ' +
	'week days hours minutes really quickly already tried both since yesterday still nothing happened'
).split(' ');
const SHORT = ['Hi!', 'Thanks.', 'OK', 'Yes, please.', 'No, that is all.', 'Great, thank you! 😊', 'One moment…', 'Perfect.'];

function sentence(rand: () => number): string {
	const n = 4 + Math.floor(rand() * 12);
	const words: string[] = [];
	for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(rand() * WORDS.length)]!);
	let s = words.join(' ');
	s = s[0]!.toUpperCase() + s.slice(1);
	const r = rand();
	if (r < 0.1) s = s.replace(' ', ', "really" ');
	else if (r < 0.2) s += ', is that right';
	else if (r < 0.25) s += ' (order #' + Math.floor(rand() * 900000 + 100000) + ')';
	return s + (rand() < 0.2 ? '?' : '.');
}

function text(rand: () => number): string {
	const r = rand();
	if (r < 0.42) return SHORT[Math.floor(rand() * SHORT.length)]!;
	if (r < 0.93) return sentence(rand);
	// A longer message of a few paragraphs: multi-line cells in CSV.
	const paragraphs: string[] = [];
	const p = 2 + Math.floor(rand() * 3);
	for (let i = 0; i < p; i++) paragraphs.push(`${sentence(rand)} ${sentence(rand)}`);
	return paragraphs.join(rand() < 0.5 ? '\n' : '\n\n');
}

/**
 * The message stream: a pool of 1–6 open conversations picked at random for each next message (interleaving),
 * and about 1 in 200 messages held back and written 2 000–50 000 messages later (a scattered row).
 */
function* messages(total: number, seed = 7): Generator<Msg> {
	const rand = prng(seed);
	let nextConv = 0;
	let written = 0;
	const start = Date.UTC(2023, 0, 1);
	type Open = {id: string; left: number; seq: number; t: number; customer: [string, string, string]; subject: string; agent: readonly [string, string]};
	const open: Open[] = [];
	const held: {due: number; msg: Msg}[] = [];
	const newConversation = (): Open => {
		const n = nextConv++;
		const first = FIRST[Math.floor(rand() * FIRST.length)]!;
		const last = LAST[Math.floor(rand() * LAST.length)]!;
		return {
			id: `conv-${String(n).padStart(7, '0')}`,
			left: 3 + Math.floor(rand() * 23),
			seq: 0,
			t: start + Math.floor(n * 40_000 + rand() * 30_000),
			customer: [`cust-${n % 50_000}`, `${first} ${last}`, `${first.toLowerCase()}.${last.toLowerCase()}@example.com`],
			subject: SUBJECTS[Math.floor(rand() * SUBJECTS.length)]!,
			agent: AGENTS[Math.floor(rand() * AGENTS.length)]!,
		};
	};
	let nextDue = Infinity;
	while (written + held.length < total) {
		if (written >= nextDue) {
			const dueIndex = held.findIndex((h) => h.due <= written);
			yield held.splice(dueIndex, 1)[0]!.msg;
			written++;
			nextDue = held.reduce((min, h) => Math.min(min, h.due), Infinity);
			continue;
		}
		const want = 1 + Math.floor(rand() * 6);
		while (open.length < want) open.push(newConversation());
		const k = Math.floor(rand() * open.length);
		const c = open[k]!;
		const r = rand();
		const role = c.seq === 0 ? 'end-user' : r < 0.45 ? 'end-user' : r < 0.85 ? 'agent' : r < 0.97 ? 'bot' : 'system';
		const [senderId, senderName] = role === 'end-user' ? [c.customer[0], c.customer[1]] : role === 'agent' ? c.agent : role === 'bot' ? ['bot-helper', 'HelpBot'] : ['system', 'System'];
		c.t += 5_000 + Math.floor(rand() * 120_000);
		const msg: Msg = {
			conversationId: c.id,
			id: `${c.id}-${c.seq++}`,
			timestamp: new Date(c.t).toISOString(),
			senderId,
			senderName,
			role,
			text: role === 'system' ? 'Conversation handed over to a human agent.' : text(rand),
			...(c.seq === 1 ? {requesterEmail: c.customer[2], subject: c.subject} : {}),
		};
		if (--c.left === 0) open.splice(k, 1);
		if (c.seq > 1 && rand() < 0.005) {
			const due = written + 2_000 + Math.floor(rand() * 48_000);
			held.push({due, msg});
			nextDue = Math.min(nextDue, due);
		} else {
			yield msg;
			written++;
		}
	}
	// Anything still held is written at the end (it belongs to conversations seen long before).
	for (const h of held) yield h.msg;
}

const csvCell = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const CSV_HEADER = 'conversation_id,timestamp,sender_id,sender_name,role,text,email,subject\n';

class Writer {
	private parts: string[] = [];
	private size = 0;
	bytes = 0;
	constructor(private readonly fd: number) {}
	write(s: string): void {
		this.parts.push(s);
		this.size += s.length;
		if (this.size > 1 << 20) this.flush();
	}
	flush(): void {
		const chunk = this.parts.join('');
		this.bytes += writeSync(this.fd, chunk);
		this.parts = [];
		this.size = 0;
	}
}

function writeFile(path: string, format: BenchFormat, total: number): void {
	const tmp = `${path}.tmp`;
	const fd = openSync(tmp, 'w');
	const w = new Writer(fd);
	try {
		if (format === 'csv') {
			w.write(CSV_HEADER);
			for (const m of messages(total)) {
				w.write(`${[m.conversationId, m.timestamp, m.senderId, m.senderName, m.role, m.text, m.requesterEmail ?? '', m.subject ?? ''].map(csvCell).join(',')}\n`);
			}
		} else if (format === 'jsonl') {
			for (const m of messages(total)) w.write(`${JSON.stringify(m)}\n`);
		} else {
			// JSON holds whole conversations: group the same stream by conversation (scattered rows included), which
			// needs the whole set of conversations in memory here, in the generator only.
			const byId = new Map<string, {id: string; requester: {id: string; name: string; email: string}; subject: string; messages: unknown[]}>();
			for (const m of messages(total)) {
				let c = byId.get(m.conversationId);
				if (!c) {
					c = {id: m.conversationId, requester: {id: m.senderId, name: m.senderName, email: m.requesterEmail ?? ''}, subject: m.subject ?? '', messages: []};
					byId.set(m.conversationId, c);
				}
				c.messages.push({id: m.id, senderId: m.senderId, senderName: m.senderName, role: m.role, text: m.text, timestamp: m.timestamp});
			}
			w.write('{"conversations": [\n');
			let first = true;
			for (const c of byId.values()) {
				w.write(`${first ? '' : ',\n'}${JSON.stringify(c)}`);
				first = false;
			}
			w.write('\n]}\n');
		}
		w.flush();
	} finally {
		closeSync(fd);
	}
	renameSync(tmp, path);
}

export function sizeLabel(messages: number): string {
	return messages >= 1_000_000 ? `${messages / 1_000_000}M` : `${messages / 1_000}k`;
}

/** The cached file for a size and format, written first when missing. */
export function generated(dir: string, format: BenchFormat, total: number): GeneratedFile {
	mkdirSync(dir, {recursive: true});
	const path = join(dir, `transcript-${sizeLabel(total)}.${format}`);
	if (!existsSync(path)) writeFile(path, format, total);
	return {path, format, messages: total, bytes: statSync(path).size};
}
