/** The connection test's result: project name, plan, role and quota, or a spinner while it runs. */
import {Box, Text, useInput, useStdin} from 'ink';
import {Header} from '../components/header.js';
import {KeyHints} from '../components/key-hints.js';
import {SpinnerLine} from '../components/spinner-line.js';
import {symbols, theme} from '../theme.js';
import type {Action, WizardState} from '../wizard/machine.js';
import {STORAGE_TEXT} from './profile-form-screen.js';

export function ConnectingScreen({state}: {state: WizardState}) {
	const p = state.profile;
	return (
		<Box flexDirection="column">
			<Header stage="Connection" />
			<SpinnerLine label={p?.sandbox ? 'Starting the local sandbox and signing in…' : `Signing in to ${p?.apiUrl ?? ''} as ${p?.email ?? ''} and testing project ${p?.projectId ?? ''}…`} />
		</Box>
	);
}

export function ConnectedScreen({state, dispatch}: {state: WizardState; dispatch(a: Action): void}) {
	const {isRawModeSupported} = useStdin();
	const c = state.connected!;
	const p = state.profile!;
	useInput(
		(_input, key) => {
			if (key.return) dispatch({type: 'continue'});
			else if (key.escape) dispatch({type: 'back'});
		},
		{isActive: Boolean(isRawModeSupported)},
	);
	return (
		<Box flexDirection="column">
			<Header stage="Connection" />
			<Text color={theme.ok}>
				{symbols.ok} Connected to project "{c.projectName}"
			</Text>
			<Text>
				{'  '}plan {c.plan ?? 'unknown'} · your role {c.role ?? 'unknown'}
				{c.monthlyLimit !== undefined ? ` · conversations this month ${c.quotaUsed ?? '?'} of ${c.monthlyLimit}` : c.quotaUsed !== undefined ? ` · ${c.quotaUsed} conversations this month` : ''}
			</Text>
			<Text color={theme.muted}>
				{'  '}
				{p.sandbox ? `local sandbox at ${p.apiUrl} (data lives until you quit)` : `${p.email} → ${p.apiUrl}`}
			</Text>
			{c.tokenStoredIn ? <Text color={theme.muted}>  sign-in token kept {STORAGE_TEXT[c.tokenStoredIn]}</Text> : null}
			<KeyHints hints={[['enter', 'choose a transcript'], ['esc', 'other profile']]} />
		</Box>
	);
}
