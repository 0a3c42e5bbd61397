/**
 * Step 5: the live import. Finished conversations scroll above (`<Static>`, each written once); below, a live
 * region that always fits the terminal: progress of conversations and messages, rate and ETA, the conversations
 * in flight with their step, retries and rate limiting, failures, and the keys. Renders at most 5 times a second
 * (the progress store throttles).
 */
import {Box, Static, Text, useInput, useStdin} from 'ink';
import {Fragment, useEffect, useRef, useState, useSyncExternalStore} from 'react';
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
 * The conversations finished since the last frame, as one `<Static>` item: a single text node for the lot (nested
 * spans cost no layout), so a fast import does not pay a layout tree per conversation. Long lines wrap rather than
 * being cut: the scrollback keeps every failure's whole reason.
 */
function FinishedChunk({rows}: {rows: readonly ConversationResult[]}) {
	return (
		<Text>
			{rows.map((r, i) => (
				<Fragment key={r.index}>
					{i > 0 ? '\n' : ''}
					<FinishedSpans r={r} />
				</Fragment>
			))}
		</Text>
	);
}

/** Chunks of the append-only finished list: a new chunk (and a new array, for `<Static>`) only when it grew. */
function useChunks(finished: readonly ConversationResult[]): Chunk[] {
	const seen = useRef<{chunks: Chunk[]; count: number}>({chunks: [], count: 0});
	if (finished.length > seen.current.count) {
		seen.current = {chunks: [...seen.current.chunks, {key: seen.current.count, rows: finished.slice(seen.current.count)}], count: finished.length};
	}
	return seen.current.chunks;
}

export function ImportScreen({run, store}: {run: ImportRun; store: ProgressStore}) {
	const {isRawModeSupported} = useStdin();
	const {columns, rows} = useTerminalSize();
	const {progress: p, finished} = useSyncExternalStore(store.subscribe, store.getSnapshot);
	const chunks = useChunks(finished);
	const [now, setNow] = useState(Date.now());
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), 1000);
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
				<KeyHints hints={[['p', run.paused ? 'resume' : 'pause'], ['c / ctrl+c', 'stop after the current step'], ['ctrl+c twice', 'abort now']]} />
			</Box>
		</>
	);
}
