/**
 * Step 5: the live import. Finished conversations scroll above, each written once after the frame that counted it
 * (many successes in one frame fold into one line, see finished-lines.ts); below, a live region that always fits
 * the terminal: progress of conversations and messages, rate and ETA, the conversations in flight with their step,
 * retries and rate limiting, failures, and the keys. Renders at most 4 times a second, 2 while the import keeps the
 * main thread busy (the progress store throttles).
 */
import {Box, Text, useInput, useStdin, useStdout} from 'ink';
import {useEffect, useMemo, useReducer, useRef, useSyncExternalStore} from 'react';
import type {ImportRun} from '../../core/import/engine.js';
import {rateAndEta} from '../../core/import/progress.js';
import type {ProgressStore} from '../../core/import/store.js';
import {duration} from '../../reporters/format.js';
import {Header} from '../components/header.js';
import {KeyHints} from '../components/key-hints.js';
import {ProgressBar} from '../components/progress-bar.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {symbols, theme} from '../theme.js';
import {finishedLines} from './finished-lines.js';

/**
 * What the live region shows on a terminal of `rows` rows: it takes 5 lines of progress, one for a retry and one
 * for "+ N more in flight"; the header 3 (2 lines where it wraps, at 80 columns, and its margin), the key hints 2
 * (with their margin); one row stays free (Ink's last line), one spare for a wrapped line. The rest lists
 * conversations in flight.
 */
function liveLayout(rows: number): {header: boolean; keys: boolean; flightRows: number} {
	const header = rows >= 15;
	const keys = rows >= 10;
	const fixed = 7 + (header ? 3 : 0) + (keys ? 2 : 0);
	return {header, keys, flightRows: Math.max(header ? 1 : 0, rows - 2 - fixed)};
}

export function ImportScreen({run, store}: {run: ImportRun; store: ProgressStore}) {
	const {isRawModeSupported} = useStdin();
	const {columns, rows} = useTerminalSize();
	const {write} = useStdout();
	const {progress: p} = useSyncExternalStore(store.subscribe, store.getSnapshot);
	// After each frame, the conversations it counted as finished are written above it, once: as plain text through
	// Ink (which clears the live region, writes, and draws it again), not as a <Static> item, which makes Ink lay out
	// and render the whole screen twice more per batch.
	useEffect(() => {
		const done = store.takeFinished();
		if (done.length > 0) write(finishedLines(done));
	});
	// The clock is read at each render; the screen redraws on its own only when nothing else redrew it for a second
	// (paused, or a long wait): while the store wakes it four times a second, a tick would be one more full render.
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
	// The live region always fits the terminal (taller, and Ink would clear the whole screen, scrollback and the
	// finished lines with it, on every frame): on a short terminal the header goes first, then the key hints.
	const {header, keys, flightRows} = liveLayout(rows);
	const shown = p.inFlight.slice(0, flightRows);
	const phase = p.phase === 'paused' ? `${symbols.pause} paused` : p.phase === 'cancelling' ? `stopping: ${p.cancelReason ?? ''}` : p.phase === 'planning' ? 'planning…' : p.dryRun ? 'checking (dry run)' : 'importing';
	return (
		<Box flexDirection="column">
			{header ? <Header stage="Import" /> : null}
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
			{keys ? <KeyHints hints={hints} /> : null}
		</Box>
	);
}
