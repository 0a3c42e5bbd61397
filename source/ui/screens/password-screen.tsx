/** Asks for the password when no valid sign-in token is stored for the profile. */
import {Box, Text, useInput, useStdin} from 'ink';
import {useState} from 'react';
import {Header} from '../components/header.js';
import {KeyHints} from '../components/key-hints.js';
import {TextField} from '../components/text-field.js';
import {symbols, theme} from '../theme.js';
import type {Action, WizardState} from '../wizard/machine.js';

export function PasswordScreen({state, dispatch}: {state: WizardState; dispatch(a: Action): void}) {
	const {isRawModeSupported} = useStdin();
	const [password, setPassword] = useState('');
	const p = state.profile!;
	useInput((_input, key) => key.escape && dispatch({type: 'back'}), {isActive: Boolean(isRawModeSupported)});
	return (
		<Box flexDirection="column">
			<Header stage="Connection" title={`Sign in to "${p.name}"`} />
			<Text color={theme.muted}>
				{p.email} {symbols.arrowRight} {p.apiUrl}, project {p.projectId}
			</Text>
			<Box>
				<Text>Password: </Text>
				<TextField value={password} onChange={setPassword} mask="*" focus onSubmit={(value) => value && dispatch({type: 'password-submitted', password: value})} />
			</Box>
			{state.error ? (
				<Text color={theme.err}>
					{symbols.fail} {state.error}
				</Text>
			) : null}
			<KeyHints hints={[['enter', 'sign in'], ['esc', 'back']]} />
		</Box>
	);
}
