/**
 * The wizard's root: one screen mounted at a time (chosen by the reducer's `step`), one root key handler for
 * Ctrl+C (before the import: quit; during it: first a graceful stop, then abort, then quit), and the single
 * place that exits, with an exit code for the shell.
 */
import {Box, Text, useApp, useInput, useStdin} from 'ink';
import {useRef} from 'react';
import type {ReadOptions} from '../core/readers/types.js';
import type {ImportOptionsInput} from '../core/import/options.js';
import {ConnectedScreen, ConnectingScreen} from './screens/connected-screen.js';
import {FileScreen} from './screens/file-screen.js';
import {ImportScreen} from './screens/import-screen.js';
import {MappingScreen} from './screens/mapping-screen.js';
import {ConfirmScreen, OptionsScreen, PlanningScreen} from './screens/options-screen.js';
import {PasswordScreen} from './screens/password-screen.js';
import {PreviewScreen} from './screens/preview-screen.js';
import {ProfileFormScreen} from './screens/profile-form-screen.js';
import {ProfilesScreen} from './screens/profiles-screen.js';
import {ScanningScreen} from './screens/scanning-screen.js';
import {SummaryScreen, UndoingScreen} from './screens/summary-screen.js';
import {SpinnerLine} from './components/spinner-line.js';
import {theme} from './theme.js';
import type {WizardDeps} from './wizard/deps.js';
import {useWizard} from './wizard/use-wizard.js';

export interface AppProps {
	deps: WizardDeps;
	init?: {file?: string; readOptions?: ReadOptions; options?: ImportOptionsInput};
	/** Receives the exit code just before the app exits. */
	onExitCode(code: number): void;
}

export function App({deps, init, onExitCode}: AppProps) {
	const {state, dispatch, session} = useWizard(deps, init);
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	// Ctrl+C presses during the current run (a retry starts a new run, and counts from zero again).
	const presses = useRef<{run: unknown; count: number}>({run: undefined, count: 0});
	const quit = (code: number) => {
		onExitCode(code);
		exit();
	};
	useInput(
		(input, key) => {
			if (!(key.ctrl && input === 'c')) return;
			const run = session.run;
			if (state.step === 'importing' && run) {
				if (presses.current.run !== run) presses.current = {run, count: 0};
				const count = ++presses.current.count;
				if (count === 1) run.cancel('interrupted with Ctrl+C');
				else if (count === 2) run.abort();
				else quit(130);
				return;
			}
			quit(130);
		},
		{isActive: Boolean(isRawModeSupported)},
	);

	switch (state.step) {
		case 'profiles':
			return (
				<ProfilesScreen
					state={state}
					dispatch={dispatch}
					onQuit={() => quit(0)}
					onDelete={(name) => {
						void deps.profiles.remove(name).then(
							() => dispatch({type: 'profile-deleted', name}),
							(error: unknown) => dispatch({type: 'profile-delete-failed', name, error: (error as Error)?.message ?? String(error)}),
						);
					}}
				/>
			);
		case 'profile-form':
			return <ProfileFormScreen state={state} dispatch={dispatch} />;
		case 'password':
			return <PasswordScreen state={state} dispatch={dispatch} />;
		case 'connecting':
			return <ConnectingScreen state={state} />;
		case 'connected':
			return <ConnectedScreen state={state} dispatch={dispatch} />;
		case 'file':
			return <FileScreen state={state} dispatch={dispatch} cwd={deps.cwd} recent={deps.profiles.recentFiles()} />;
		case 'scanning':
			return <ScanningScreen state={state} />;
		case 'mapping':
			return <MappingScreen state={state} dispatch={dispatch} />;
		case 'preview':
			return session.preview ? <PreviewScreen state={state} dispatch={dispatch} preview={session.preview} /> : <Text color={theme.err}>No preview.</Text>;
		case 'options':
			return <OptionsScreen state={state} dispatch={dispatch} />;
		case 'planning':
			return <PlanningScreen />;
		case 'confirm':
			return <ConfirmScreen state={state} dispatch={dispatch} />;
		case 'importing':
			return session.run && session.progress ? (
				<ImportScreen run={session.run} store={session.progress} />
			) : (
				<Box>
					<SpinnerLine label="Starting…" />
				</Box>
			);
		case 'summary':
			return (
				<SummaryScreen
					state={state}
					dispatch={dispatch}
					onExit={() => {
						// The exit codes of the headless import: 3 stopped by an error, 130 interrupted, 1 some left out.
						const o = state.outcome;
						if (!o) return quit(3);
						if (o.stop.kind === 'fatal') return quit(3);
						const interrupted = presses.current.run === session.run && presses.current.count > 0;
						if (interrupted && o.stop.kind === 'cancelled') return quit(130);
						const t = o.totals.byStatus;
						quit(t.failed + t.blocked + t.cancelled > 0 ? 1 : 0);
					}}
				/>
			);
		case 'undoing':
			return <UndoingScreen />;
	}
}
