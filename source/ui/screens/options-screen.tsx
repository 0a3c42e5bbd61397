/**
 * Step 4: the side effects, chosen knowingly. Each row says what it does to Tiledesk and to customers; then the
 * plan is computed (a pass over the file) and stated plainly before anything is written.
 */
import {Box, Text, useInput, useStdin} from 'ink';
import {planLines} from '../../reporters/format.js';
import {Header} from '../components/header.js';
import {KeyHints} from '../components/key-hints.js';
import {SpinnerLine} from '../components/spinner-line.js';
import {useKeyState} from '../hooks/use-key-state.js';
import {symbols, theme} from '../theme.js';
import type {Action, WizardState} from '../wizard/machine.js';

interface Row {
	label: string;
	value(state: WizardState): string;
	change(state: WizardState, delta: number): Action;
	help: string;
}

const cycle = <T extends string>(values: readonly T[], current: T, delta: number): T => values[(values.indexOf(current) + delta + values.length) % values.length]!;

const ROWS: Row[] = [
	{
		label: 'What to do',
		value: (s) => (s.mode === 'import' ? 'import everything' : s.mode === 'demo' ? `demo: only the first ${s.demoCount}` : 'dry run: check only, write nothing'),
		change: (s, d) => ({type: 'mode-set', mode: cycle(['import', 'demo', 'dry-run'] as const, s.mode, d)}),
		help: 'A demo import of a few conversations lets you look at them in Tiledesk first; a dry run checks access, quota and what already exists.',
	},
	{
		label: 'Demo size',
		value: (s) => `${s.demoCount} conversations`,
		change: (s, d) => ({type: 'mode-set', mode: 'demo', demoCount: s.demoCount + d}),
		help: 'How many conversations a demo import takes (from the top of the file).',
	},
	{
		label: 'Assign to',
		value: (s) => ((s.options.participants ?? 'me') === 'me' ? 'me (no routing)' : 'Tiledesk routing'),
		change: (s, d) => ({type: 'option-set', options: {participants: cycle(['me', 'routing'] as const, s.options.participants === 'routing' ? 'routing' : 'me', d)}}),
		help: 'With you as the only participant nothing is routed: no agent is notified and no bot joins and answers imported messages. Routing may add a department bot.',
	},
	{
		label: 'Customer e-mails',
		value: (s) => ((s.options.requesterEmail ?? 'drop') === 'drop' ? 'left out (safe)' : 'kept'),
		change: (s) => ({type: 'option-set', options: {requesterEmail: (s.options.requesterEmail ?? 'drop') === 'drop' ? 'keep' : 'drop'}}),
		help: 'Tiledesk e-mails a customer who has an address about agent messages they "missed": importing history with addresses kept can e-mail real customers.',
	},
	{
		label: 'After import',
		value: (s) => (s.options.close ? 'close each conversation' : 'leave open'),
		change: (s) => ({type: 'option-set', options: {close: !s.options.close}}),
		help: 'Closed conversations go to the history in Tiledesk instead of the open queue.',
	},
	{
		label: 'Message order',
		value: (s) => ((s.options.order ?? 'fast') === 'fast' ? 'fast (batches)' : 'strict (one by one)'),
		change: (s) => ({type: 'option-set', options: {order: (s.options.order ?? 'fast') === 'fast' ? 'strict' : 'fast'}}),
		help: 'Fast sends batches; every message carries its original time, which orders it. Strict sends one message per call so even Tiledesk\'s own order matches (slower).',
	},
	{
		label: 'In flight',
		value: (s) => (s.options.concurrency === undefined ? 'auto (8 on a near server, more on a far one)' : `${s.options.concurrency} conversations at once`),
		change: (s, d) => ({type: 'option-set', options: {concurrency: Math.max(1, Math.min(16, (s.options.concurrency ?? 8) + d))}}),
		help: 'Auto picks from the round trip to the server. More is faster up to what the server takes; the importer slows down by itself when the server says so (429).',
	},
];

export function OptionsScreen({state, dispatch}: {state: WizardState; dispatch(a: Action): void}) {
	const {isRawModeSupported} = useStdin();
	// The row under the pointer, read through at(): a → right after a ↓ (faster than a redraw) changes the new row.
	const [index, setIndex, at] = useKeyState(0);
	const rows = ROWS.filter((r) => r.label !== 'Demo size' || state.mode === 'demo');
	const row = rows[Math.min(index, rows.length - 1)]!;
	useInput(
		(input, key) => {
			const current = rows[Math.min(at(), rows.length - 1)]!;
			if (key.escape) dispatch({type: 'back'});
			else if (key.upArrow) setIndex(Math.max(0, at() - 1));
			else if (key.downArrow) setIndex(Math.min(rows.length - 1, at() + 1));
			else if (key.rightArrow || input === ' ' || input === '+') dispatch(current.change(state, 1));
			else if (key.leftArrow || input === '-') dispatch(current.change(state, -1));
			else if (key.return || input === 'c') dispatch({type: 'continue'});
		},
		{isActive: Boolean(isRawModeSupported)},
	);
	return (
		<Box flexDirection="column">
			<Header stage="Options" title="How should the import behave?" />
			{rows.map((r) => (
				<Text key={r.label} color={r === row ? theme.accent : undefined}>
					{r === row ? symbols.pointer : ' '} {r.label.padEnd(18)} {r === row ? '‹ ' : '  '}
					{r.value(state)}
					{r === row ? ' ›' : ''}
				</Text>
			))}
			<Box marginTop={1}>
				<Text color={theme.muted} wrap="wrap">
					{row.help}
				</Text>
			</Box>
			{state.error ? (
				<Text color={theme.err}>
					{symbols.fail} {state.error}
				</Text>
			) : null}
			<KeyHints hints={[['↑↓', 'choose'], ['←→', 'change'], ['enter', 'review the plan'], ['esc', 'back']]} />
		</Box>
	);
}

export function PlanningScreen() {
	return (
		<Box flexDirection="column">
			<Header stage="Options" />
			<SpinnerLine label="Working out the plan (calls, time, quota, what an earlier run already did)…" />
		</Box>
	);
}

export function ConfirmScreen({state, dispatch}: {state: WizardState; dispatch(a: Action): void}) {
	const {isRawModeSupported} = useStdin();
	const plan = state.plan!;
	useInput(
		(input, key) => {
			if (key.escape || input === 'n') dispatch({type: 'back'});
			else if (key.return || input === 'y') dispatch({type: 'start-import'});
		},
		{isActive: Boolean(isRawModeSupported)},
	);
	const nothing = plan.conversations - plan.alreadyDone === 0 && state.mode !== 'dry-run';
	return (
		<Box flexDirection="column">
			<Header stage="Options" title="This is what will happen" />
			{planLines(plan, state.mode === 'dry-run').map((line, i) => (
				<Text key={i} color={/NOT ENOUGH|KEPT|bot may/.test(line) ? theme.warn : undefined}>
					{line}
				</Text>
			))}
			{nothing ? <Text color={theme.ok}>{symbols.ok} Everything in this file is already imported: the run will only confirm it.</Text> : null}
			<KeyHints hints={[['enter/y', state.mode === 'dry-run' ? 'check' : 'start the import'], ['esc/n', 'change options']]} />
		</Box>
	);
}
