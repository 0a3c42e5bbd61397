/** Step 6: what happened, where the reports are, a few dashboard links, and what to do next. */
import {Box, Text, useInput, useStdin} from 'ink';
import {useState} from 'react';
import {dashboardLink} from '../../core/import/options.js';
import {totalsLine} from '../../reporters/format.js';
import {Header} from '../components/header.js';
import {KeyHints} from '../components/key-hints.js';
import {SpinnerLine} from '../components/spinner-line.js';
import {symbols, theme} from '../theme.js';
import type {Action, WizardState} from '../wizard/machine.js';

export function SummaryScreen({state, dispatch, onExit}: {state: WizardState; dispatch(a: Action): void; onExit(): void}) {
	const {isRawModeSupported} = useStdin();
	const [confirmUndo, setConfirmUndo] = useState(false);
	const o = state.outcome;
	const retryable = o ? o.results.filter((r) => r.status === 'failed' || r.status === 'cancelled').length : 0;
	const created = o?.report ? o.report.conversations.filter((c) => c.created || c.createdBy !== undefined).length : 0;
	useInput(
		(input, key) => {
			if (input === 'q' || key.return || key.escape) return onExit();
			if (input === 'r' && retryable > 0) dispatch({type: 'retry-failed'});
			if (input === 'u' && created > 0 && !state.undone) {
				if (confirmUndo) dispatch({type: 'undo'});
				else setConfirmUndo(true);
			}
		},
		{isActive: Boolean(isRawModeSupported)},
	);
	if (!o) {
		return (
			<Box flexDirection="column">
				<Header stage="Summary" />
				<Text color={theme.err}>
					{symbols.fail} The import could not run: {state.error}
				</Text>
				<KeyHints hints={[['q', 'quit']]} />
			</Box>
		);
	}
	const projectId = o.report?.projectId ?? '';
	const links = o.results.filter((r) => r.status === 'imported' || r.status === 'completed').slice(0, 3);
	const dashboard = o.report?.dashboardUrl;
	return (
		<Box flexDirection="column">
			<Header stage="Summary" />
			<Text color={o.stop.kind === 'completed' ? theme.ok : theme.warn}>{totalsLine(o.totals, o.stop)}</Text>
			{o.stop.kind === 'fatal' ? (
				<Text color={theme.err}>
					{symbols.fail} {o.stop.error.message}
				</Text>
			) : null}
			{o.stop.kind !== 'completed' ? <Text>Nothing is lost: running the same import again resumes where this one stopped.</Text> : null}
			{o.reportPaths.length ? (
				<Box flexDirection="column" marginTop={1}>
					<Text>Report (every conversation with its Tiledesk link):</Text>
					{o.reportPaths.map((p) => (
						<Text key={p} color={theme.muted}>
							{'  '}
							{p}
						</Text>
					))}
				</Box>
			) : null}
			{links.length && dashboard ? (
				<Box flexDirection="column" marginTop={1}>
					<Text>Open in Tiledesk:</Text>
					{links.map((r) => (
						<Box key={r.requestId} flexDirection="column">
							<Text>
								{'  '}
								{r.sourceId}:
							</Text>
							{/* The whole link, never cut (a link cut in the middle cannot be opened), on its own unindented line:
							    where it wraps, the pieces are separated by line breaks only, so copying it still gives the link. */}
							<Text color={theme.accent}>{dashboardLink(dashboard, projectId, r.requestId)}</Text>
						</Box>
					))}
				</Box>
			) : null}
			{o.results.filter((r) => r.status === 'failed').slice(0, 5).map((r) => (
				<Text key={r.requestId} color={theme.err} wrap="truncate">
					{symbols.fail} {r.sourceId}: {r.error?.message}
				</Text>
			))}
			{state.undone ? (
				<Text color={state.undone.message ? theme.err : theme.ok}>
					{state.undone.message ?? `${symbols.ok} Undo: ${state.undone.deleted} conversations deleted${state.undone.failed ? `, ${state.undone.failed} could not be deleted` : ''}.`}
				</Text>
			) : null}
			{confirmUndo && !state.undone ? <Text color={theme.warn}>{symbols.warn} Press u again to delete the {created} conversations this import created. This cannot be undone.</Text> : null}
			<KeyHints hints={[...(retryable ? ([['r', `retry ${retryable} failed/stopped`]] as [string, string][]) : []), ...(created && !state.undone ? ([['u', 'undo this import']] as [string, string][]) : []), ['q/enter', 'exit']]} />
		</Box>
	);
}

export function UndoingScreen() {
	return (
		<Box flexDirection="column">
			<Header stage="Summary" />
			<SpinnerLine label="Deleting the conversations this import created…" />
		</Box>
	);
}
