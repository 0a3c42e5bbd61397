/**
 * Mutations for fuzzing the readers, as fast-check arbitraries of plain descriptors (so a failing case prints
 * and shrinks) and one pure function applying them to a file's bytes: truncation, re-encoding (Latin-1,
 * UTF-16), huge lines, deep JSON nesting, binary junk, byte flips, line edits, and structure-aware edits of valid
 * JSON/JSONL/CSV (field deletions and type changes). ZIP seeds are mutated inside (one entry) or as raw bytes.
 */
import fc from 'fast-check';

export type Mutation =
	| {kind: 'truncate'; at: number}
	| {kind: 'encoding'; to: 'latin1' | 'utf16le' | 'utf16be'}
	| {kind: 'huge-line'; at: number; size: number; json: boolean}
	| {kind: 'deep'; at: number; depth: number; open: '[' | '{"a":'}
	| {kind: 'junk'; at: number; bytes: Uint8Array; replace: boolean}
	| {kind: 'whole-junk'; bytes: Uint8Array}
	| {kind: 'flip'; positions: number[]}
	| {kind: 'lines'; ops: {op: 'delete' | 'duplicate' | 'swap' | 'blank' | 'crlf'; a: number; b: number}[]}
	| {kind: 'fields'; ops: {pick: number; op: FieldOp}[]};

export const FIELD_OPS = ['delete', 'null', 'number', 'string', 'array', 'object', 'bool', 'empty-string', 'huge-number', 'negative', 'nan-string', 'date-string'] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

/** A position in 0…1 (uniform; fc.double favours extreme values such as 5e-324, which would pin every edit to the start). */
export const unit = fc.integer({min: 0, max: 999_999}).map((n) => n / 1_000_000);

export function mutationArbitrary(): fc.Arbitrary<Mutation> {
	return fc.oneof(
		{weight: 3, arbitrary: fc.record({kind: fc.constant('truncate' as const), at: unit})},
		{weight: 2, arbitrary: fc.record({kind: fc.constant('encoding' as const), to: fc.constantFrom('latin1' as const, 'utf16le' as const, 'utf16be' as const)})},
		{weight: 1, arbitrary: fc.record({kind: fc.constant('huge-line' as const), at: unit, size: fc.integer({min: 70_000, max: 1_500_000}), json: fc.boolean()})},
		{weight: 1, arbitrary: fc.record({kind: fc.constant('deep' as const), at: unit, depth: fc.integer({min: 50, max: 60_000}), open: fc.constantFrom('[' as const, '{"a":' as const)})},
		{weight: 2, arbitrary: fc.record({kind: fc.constant('junk' as const), at: unit, bytes: fc.uint8Array({minLength: 1, maxLength: 256}), replace: fc.boolean()})},
		{weight: 1, arbitrary: fc.record({kind: fc.constant('whole-junk' as const), bytes: fc.uint8Array({minLength: 1, maxLength: 2048})})},
		{weight: 2, arbitrary: fc.record({kind: fc.constant('flip' as const), positions: fc.array(unit, {minLength: 1, maxLength: 12})})},
		{
			weight: 3,
			arbitrary: fc.record({
				kind: fc.constant('lines' as const),
				ops: fc.array(fc.record({op: fc.constantFrom('delete' as const, 'duplicate' as const, 'swap' as const, 'blank' as const, 'crlf' as const), a: unit, b: unit}), {minLength: 1, maxLength: 6}),
			}),
		},
		{weight: 6, arbitrary: fc.record({kind: fc.constant('fields' as const), ops: fc.array(fc.record({pick: unit, op: fc.constantFrom(...FIELD_OPS)}), {minLength: 1, maxLength: 8})})},
	);
}

/** One to three mutations applied in order. */
export function mutationsArbitrary(): fc.Arbitrary<Mutation[]> {
	return fc.array(mutationArbitrary(), {minLength: 1, maxLength: 3});
}

const at = (length: number, u: number) => Math.min(length, Math.floor(u * (length + 1)));

export function mutate(input: Buffer, m: Mutation): Buffer {
	switch (m.kind) {
		case 'truncate':
			return input.subarray(0, at(input.length, m.at));
		case 'encoding': {
			const text = input.toString('utf8');
			if (m.to === 'latin1') return Buffer.from(text, 'latin1');
			const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
			return m.to === 'utf16le' ? le : Buffer.from(le).swap16();
		}
		case 'huge-line': {
			const i = lineStart(input, at(input.length, m.at));
			const body = 'x'.repeat(m.size);
			const line = m.json ? `{"conversationId":"huge","text":"${body}"}\n` : `${body}\n`;
			return Buffer.concat([input.subarray(0, i), Buffer.from(line), input.subarray(i)]);
		}
		case 'deep': {
			const i = at(input.length, m.at);
			const close = m.open === '[' ? ']' : '}';
			const deep = `${m.open.repeat(m.depth)}1${close.repeat(m.depth)}`;
			return Buffer.concat([input.subarray(0, i), Buffer.from(deep), input.subarray(i)]);
		}
		case 'junk': {
			const i = at(input.length, m.at);
			const end = m.replace ? Math.min(input.length, i + m.bytes.length) : i;
			return Buffer.concat([input.subarray(0, i), Buffer.from(m.bytes), input.subarray(end)]);
		}
		case 'whole-junk':
			return Buffer.from(m.bytes);
		case 'flip': {
			const out = Buffer.from(input);
			if (out.length === 0) return out;
			for (const p of m.positions) {
				const i = Math.min(out.length - 1, Math.floor(p * out.length));
				out[i] = out[i]! ^ (1 << (i % 8));
			}
			return out;
		}
		case 'lines': {
			const lines = input.toString('utf8').split('\n');
			for (const op of m.ops) {
				if (lines.length === 0) break;
				const a = Math.min(lines.length - 1, Math.floor(op.a * lines.length));
				const b = Math.min(lines.length - 1, Math.floor(op.b * lines.length));
				if (op.op === 'delete') lines.splice(a, 1);
				else if (op.op === 'duplicate') lines.splice(a, 0, lines[a]!);
				else if (op.op === 'swap') [lines[a], lines[b]] = [lines[b]!, lines[a]!];
				else if (op.op === 'blank') lines[a] = '';
				else lines[a] = `${lines[a]}\r`;
			}
			return Buffer.from(lines.join('\n'));
		}
		case 'fields':
			return mutateFields(input, m.ops);
	}
}

function lineStart(input: Buffer, i: number): number {
	const j = input.lastIndexOf(0x0a, Math.max(0, i - 1));
	return i === 0 || j < 0 ? 0 : j + 1;
}

/** Structure-aware edits: whole JSON, else JSON lines, else CSV cells; anything else is returned unchanged. */
function mutateFields(input: Buffer, ops: {pick: number; op: FieldOp}[]): Buffer {
	const text = input.toString('utf8');
	const json = tryParse(text);
	if (json.ok) {
		let value = json.value;
		for (const op of ops) value = editJson(value, op.pick, op.op);
		return Buffer.from(JSON.stringify(value, null, text.includes('\n  ') ? 2 : undefined));
	}
	const lines = text.split('\n');
	const parsed = lines.map((l) => (l.trim() === '' ? undefined : tryParse(l)));
	if (parsed.some((p) => p?.ok)) {
		for (const op of ops) {
			const candidates = parsed.map((p, i) => (p?.ok ? i : -1)).filter((i) => i >= 0);
			const line = candidates[Math.floor(op.pick * candidates.length)]!;
			const p = parsed[line] as {ok: true; value: unknown};
			p.value = editJson(p.value, (op.pick * candidates.length) % 1, op.op);
			lines[line] = JSON.stringify(p.value);
		}
		return Buffer.from(lines.join('\n'));
	}
	if (text.includes(',') || text.includes(';')) {
		const rows = lines.map((l) => l.split(','));
		for (const op of ops) {
			const r = Math.min(rows.length - 1, Math.floor(op.pick * rows.length));
			const row = rows[r]!;
			const c = Math.min(row.length - 1, Math.floor(((op.pick * rows.length) % 1) * row.length));
			if (op.op === 'delete') row.splice(c, 1);
			else row[c] = csvValue(op.op);
		}
		return Buffer.from(rows.map((r) => r.join(',')).join('\n'));
	}
	return input;
}

function tryParse(text: string): {ok: true; value: unknown} | {ok: false} {
	try {
		return {ok: true, value: JSON.parse(text)};
	} catch {
		return {ok: false};
	}
}

function csvValue(op: FieldOp): string {
	switch (op) {
		case 'null':
		case 'empty-string':
			return '';
		case 'number':
			return '42';
		case 'huge-number':
			return '1e308';
		case 'negative':
			return '-1';
		case 'nan-string':
			return 'NaN';
		case 'date-string':
			return '31/02/2024 25:61';
		case 'bool':
			return 'true';
		case 'array':
		case 'object':
			return '"{""a"":[1,2]}"';
		default:
			return '"quoted, with comma"';
	}
}

function replacement(op: FieldOp, old: unknown): unknown {
	switch (op) {
		case 'null':
			return null;
		case 'number':
			return typeof old === 'string' ? old.length : 42;
		case 'string':
			return typeof old === 'object' ? JSON.stringify(old) : String(old);
		case 'array':
			return [old];
		case 'object':
			return {value: old};
		case 'bool':
			return true;
		case 'empty-string':
			return '';
		case 'huge-number':
			return 1e308;
		case 'negative':
			return -1;
		case 'nan-string':
			return 'NaN';
		case 'date-string':
			return '2024-02-31T25:61:00';
		case 'delete':
			return undefined;
	}
}

/** Edits the node at position `pick` (0…1) of a depth-first list of every property and element. */
function editJson(root: unknown, pick: number, op: FieldOp): unknown {
	const nodes: {parent: Record<string, unknown> | unknown[]; key: string | number}[] = [];
	const walk = (v: unknown, depth: number) => {
		if (depth > 200 || v === null || typeof v !== 'object') return;
		if (Array.isArray(v)) v.forEach((x, i) => (nodes.push({parent: v, key: i}), walk(x, depth + 1)));
		else for (const [k, x] of Object.entries(v)) nodes.push({parent: v as Record<string, unknown>, key: k}), walk(x, depth + 1);
	};
	walk(root, 0);
	if (nodes.length === 0) return replacement(op, root) ?? null;
	const {parent, key} = nodes[Math.floor(pick * nodes.length)]!;
	const old = (parent as Record<string | number, unknown>)[key];
	if (op === 'delete') {
		if (Array.isArray(parent)) parent.splice(key as number, 1);
		else delete parent[key as string];
	} else (parent as Record<string | number, unknown>)[key] = replacement(op, old);
	return root;
}
