/**
 * Step 5: the live import. Finished conversations scroll above (`<Static>`, each written once; many successes in one
 * frame fold into one line, see FOLD_AT); below, a live region that always fits the terminal: progress of
 * conversations and messages, rate and ETA, the conversations in flight with their step, retries and rate
 * limiting, failures, and the keys. Renders at most 4 times a second (the progress store throttles).
 */
import {Box, Static, Text, useInput, useStdin} from 'ink';
import {Fragment, useEffect, useMemo, useReducer, useRef, useSyncExternalStore} from 'react';
import type {ImportRun} from '../../core/import/engine.js';
import type {ConversationResult} from '../../core/import/events.js';
import {rateAndEta} from '../../core/import/progress.js';
import type {ProgressStore} from '../../core/import/store.js';
import {duration, STATUS_LABEL} from '../../reporters/format.js';
import {Header} from '../components/header.js';
import {KeyHints} from '../components/key-hints.js';
import {ProgressBar} from '../components/progress-bar.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {symbols, theme} from '../theme.js';

const STATUS_COLOUR: Record<ConversationResult['status'], string | undefined> = {
	imported: theme.ok,
	completed: theme.ok,
	unchanged: theme.muted,
	planned: theme.muted,
	blocked: theme.warn,
	failed: theme.err,
	cancelled: theme.warn,
};

/** One finished conversation as nested spans: outcome symbol and word (never colour alone), id, detail. */
function FinishedSpans({r}: {r: ConversationResult}) {
	const label = STATUS_LABEL[r.status];
	const detail = r.error ? r.error.message : r.status === 'planned' ? (r.exists ? `exists, ${r.alreadyPresent}/${r.messages} messages there` : `would be created (${r.messages} messages)`) : r.status === 'completed' ? `${r.sent} of ${r.messages} messages were missing, sent` : `${r.messages} messages`;
	return (
		<>
			<Text color={STATUS_COLOUR[r.status]}>
				{label.symbol} {label.word.padEnd(9)}
			</Text>{' '}
			{r.sourceId} <Text color={theme.muted}>{detail}</Text>
		</>
	);
}

interface Chunk {
	key: number;
	rows: readonly ConversationResult[];
}

/**
 * More successes than this in one frame are folded into one line per outcome (the first and last ids and the
 * count): one line each is what can be read as it scrolls past, and a fast import (hundreds a second on a near
 * server) then pays for a handful of lines per frame instead of hundreds, which Ink lays out and styles char by char.
 * Failed, blocked, stopped and completed conversations always get their own line with the reason.
 */
export const FOLD_AT = 5;
const FOLDABLE = new Set<ConversationResult['status']>(['imported', 'unchanged', 'planned']);

interface Folded {
	status: ConversationResult['status'];
	count: number;
	first: string;
	last: string;
	messages: number;
}

/** What one chunk shows: each notable row, and the plain successes one by one or folded per outcome. */
export function chunkLines(rows: readonly ConversationResult[]): (ConversationResult | Folded)[] {
	let plain = 0;
	for (const r of rows) if (FOLDABLE.has(r.status)) plain++;
	if (plain <= FOLD_AT) return [...rows];
	const out: (ConversationResult | Folded)[] = [];
	const folded = new Map<ConversationResult['status'], Folded>();
	for (const r of rows) {
		if (!FOLDABLE.has(r.status)) {
			out.push(r);
			continue;
		}
		const f = folded.get(r.status);
		if (f) {
			f.count++;
			f.last = r.sourceId;
			f.messages += r.messages;
		} else folded.set(r.status, {status: r.status, count: 1, first: r.sourceId, last: r.sourceId, messages: r.messages});
	}
	return [...out, ...folded.values()];
}

function FoldedSpans({f}: {f: Folded}) {
	const label = STATUS_LABEL[f.status];
	return (
		<>
			<Text color={STATUS_COLOUR[f.status]}>
				{label.symbol} {label.word.padEnd(9)}
			</Text>{' '}
			{f.count} conversations <Text color={theme.muted}>{f.first} … {f.last}, {f.messages} messages</Text>
		</>
	);
}

/**
 * The conversations finished since the last frame, as one `<Static>` item: a single text node for the lot (nested
 * spans cost no layout), so a fast import does not pay a layout tree per conversation. Long lines wrap rather than
 * being cut: the scrollback keeps every failure's whole reason.
 */
function FinishedChunk({rows}: {rows: readonly ConversationResult[]}) {
	return (
		<Text>
			{chunkLines(rows).map((r, i) => (
				<Fragment key={'index' in r ? r.index : `folded-${r.status}`}>
					{i > 0 ? '\n' : ''}
					{'index' in r ? <FinishedSpans r={r} /> : <FoldedSpans f={r} />}
				</Fragment>
			))}
		</Text>
	);
}

/**
 * Finished conversations reach `<Static>` at most once a second (and at once when the run stops, pauses or is
 * stopping): each new `<Static>` item costs Ink a second full render (Static commits again to mark it written),
 * which at five frames a second doubled the screen's cost on a fast import.
 */
export const STATIC_INTERVAL_MS = 1000;

/** Chunks of the append-only finished list: a new chunk (and a new array, for `<Static>`) only when it grew. */
function useChunks(finished: readonly ConversationResult[], settled: boolean): Chunk[] {
	const seen = useRef<{chunks: Chunk[]; count: number; at: number}>({chunks: [], count: 0, at: 0});
	const now = Date.now();
	if (finished.length > seen.current.count && (settled || now - seen.current.at >= STATIC_INTERVAL_MS)) {
		seen.current = {chunks: [...seen.current.chunks, {key: seen.current.count, rows: finished.slice(seen.current.count)}], count: finished.length, at: now};
	}
	return seen.current.chunks;
}

export function ImportScreen({run, store}: {run: ImportRun; store: ProgressStore}) {
	const {isRawModeSupported} = useStdin();
	const {columns, rows} = useTerminalSize();
	const {progress: p, finished} = useSyncExternalStore(store.subscribe, store.getSnapshot);
	const chunks = useChunks(finished, p.phase !== 'running');
	// The clock is read at each render; the screen redraws on its own only when nothing else redrew it for a second
	// (paused, or a long wait; it also lets finished lines held back by STATIC_INTERVAL_MS out): while the store wakes
	// it four times a second, a tick would be one more full render.
	const now = Date.now();
	const [, tick] = useReducer((n: number) => n + 1, 0);
	const renderedAt = useRef(now);
	useEffect(() => {
		renderedAt.current = Date.now();
	});
	useEffect(() => {
		const timer = setInterval(() => {
			if (Date.now() - renderedAt.current >= 900) tick();
		}, 1000);
		return () => clearInterval(timer);
	}, []);
	useInput(
		(input) => {
			if (input === 'p' || input === ' ') {
				if (run.paused) run.resume();
				else run.pause();
			} else if (input === 'c') run.cancel('cancelled from the keyboard');
		},
		{isActive: Boolean(isRawModeSupported)},
	);
	const paused = run.paused;
	// The same array while nothing changes, so the (memoized) hints are not rendered again each frame.
	const hints = useMemo((): [string, string][] => [['p', paused ? 'resume' : 'pause'], ['c / ctrl+c', 'stop after the current step'], ['ctrl+c twice', 'abort now']], [paused]);
	const {messagesPerSecond, conversationsPerMinute, etaMs} = rateAndEta(p, now);
	const barWidth = Math.max(10, Math.min(40, columns - 40));
	const flightRows = Math.max(1, rows - 14);
	const shown = p.inFlight.slice(0, flightRows);
	const phase = p.phase === 'paused' ? `${symbols.pause} paused` : p.phase === 'cancelling' ? `stopping: ${p.cancelReason ?? ''}` : p.phase === 'planning' ? 'planning…' : p.dryRun ? 'checking (dry run)' : 'importing';
	return (
		<>
			<Static items={chunks}>{(c) => <FinishedChunk key={c.key} rows={c.rows} />}</Static>
			<Box flexDirection="column">
				<Header stage="Import" />
				<Text>
					<Text bold>{phase}</Text>
					<Text color={theme.muted}>
						{'  '}
						{p.runId ? `run ${p.runId}` : ''}
						{p.concurrency !== undefined ? ` · ${p.concurrency} in flight after rate limiting` : ''}
					</Text>
				</Text>
				<Text aria-label={`Conversations ${p.conversationsDone} of ${p.conversationsTotal}`}>
					conversations <ProgressBar done={p.conversationsDone} total={p.conversationsTotal} width={barWidth} /> {p.conversationsDone}/{p.conversationsTotal}
				</Text>
				<Text>
					messages{'      '}
					<ProgressBar done={p.messagesDone} total={p.messagesTotal} width={barWidth} /> {p.messagesDone}/{p.messagesTotal}
				</Text>
				<Text color={theme.muted}>
					{messagesPerSecond !== undefined ? `${messagesPerSecond.toFixed(1)} messages/s · ${conversationsPerMinute?.toFixed(0)} conversations/min` : 'measuring speed…'}
					{etaMs !== undefined ? ` · about ${duration(etaMs)} left` : ''}
					{p.startedAt !== undefined ? ` · ${duration(now - p.startedAt)} elapsed` : ''}
				</Text>
				<Text>
					<Text color={theme.ok}>
						{symbols.ok} {p.byStatus.imported + p.byStatus.completed} imported
					</Text>
					{'  '}= {p.byStatus.unchanged} unchanged
					{p.byStatus.blocked ? <Text color={theme.warn}>  {symbols.warn} {p.byStatus.blocked} blocked</Text> : null}
					{p.byStatus.failed ? <Text color={theme.err}>  {symbols.fail} {p.byStatus.failed} failed</Text> : null}
					{p.retries ? <Text color={theme.warn}>  {p.retries} retries</Text> : null}
					{p.rateLimits ? <Text color={theme.warn}>  rate limited {p.rateLimits}×</Text> : null}
				</Text>
				{p.lastRetry && now - p.lastRetry.at < 5000 ? (
					<Text color={theme.warn} wrap="truncate">
						retrying {p.lastRetry.operation} in {duration(p.lastRetry.delayMs)}: {p.lastRetry.reason}
					</Text>
				) : null}
				{shown.map((f) => (
					<Text key={f.index} wrap="truncate">
						<Text color={theme.accent}>{symbols.bullet}</Text> {f.sourceId} <Text color={theme.muted}>{f.step}{f.step === 'sending' ? ` ${f.sent}/${f.total}` : ''}</Text>
					</Text>
				))}
				{p.inFlight.length > shown.length ? <Text color={theme.muted}>  + {p.inFlight.length - shown.length} more in flight</Text> : null}
				<KeyHints hints={hints} />
			</Box>
		</>
	);
}
