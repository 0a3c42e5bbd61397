/** Create or edit a profile. The password is only used to sign in; the token may be kept (keychain/file/none). */
import {Box, Text, useInput, useStdin} from 'ink';
import {Header} from '../components/header.js';
import {KeyHints} from '../components/key-hints.js';
import {TextField} from '../components/text-field.js';
import {symbols, theme} from '../theme.js';
import {FORM_FIELDS, LABELS, type Action, type FormField, type WizardState} from '../wizard/machine.js';

const STORAGE = ['keychain', 'file', 'none'] as const;
export const STORAGE_TEXT: Record<(typeof STORAGE)[number], string> = {
	keychain: 'in the OS keychain (if this machine has one; otherwise you will be asked again)',
	file: 'in a file only your user can read (0600) — anyone using your account could use it',
	none: 'nowhere: you will be asked for the password next time',
};
const PLACEHOLDER: Partial<Record<FormField, string>> = {
	name: 'e.g. Acme production',
	dashboardUrl: 'optional, e.g. https://panel.tiledesk.com/v3/dashboard',
	projectId: '24 hex characters from the dashboard URL',
	email: 'you@company.com',
};

export function ProfileFormScreen({state, dispatch}: {state: WizardState; dispatch(a: Action): void}) {
	const {isRawModeSupported} = useStdin();
	const form = state.form!;
	const active = FORM_FIELDS[form.field]!;
	useInput(
		(input, key) => {
			if (key.escape) return dispatch({type: 'back'});
			if (key.upArrow || (key.shift && key.tab)) return dispatch({type: 'form-move', delta: -1});
			if (key.downArrow || key.tab) return dispatch({type: 'form-move', delta: 1});
			if (active === 'tokenStorage') {
				const i = STORAGE.indexOf(form.values.tokenStorage);
				if (key.leftArrow || key.rightArrow || input === ' ') {
					const next = STORAGE[(i + (key.leftArrow ? STORAGE.length - 1 : 1)) % STORAGE.length]!;
					dispatch({type: 'form-change', field: 'tokenStorage', value: next});
				}
				if (key.return) dispatch({type: 'form-submit'});
			}
		},
		{isActive: Boolean(isRawModeSupported)},
	);
	return (
		<Box flexDirection="column">
			<Header stage="Connection" title={form.editing ? `Edit profile "${form.editing}"` : 'New connection profile'} />
			{FORM_FIELDS.map((field, i) => (
				<Box key={field}>
					{/* The label column keeps its width: a long value beside it (the token storage text) must not squeeze the label into two lines. */}
					<Box width={24} flexShrink={0}>
						<Text color={i === form.field ? theme.accent : undefined}>
							{i === form.field ? symbols.pointer : ' '} {LABELS[field]}
						</Text>
					</Box>
					{field === 'tokenStorage' ? (
						<Text>
							{STORAGE.map((s) => (s === form.values.tokenStorage ? `[${s}]` : ` ${s} `)).join(' ')}
							<Text color={form.values.tokenStorage === 'file' ? theme.warn : theme.muted}> {STORAGE_TEXT[form.values.tokenStorage]}</Text>
						</Text>
					) : (
						<TextField
							value={form.values[field]}
							focus={i === form.field}
							{...(field === 'password' ? {mask: '*'} : {})}
							{...(PLACEHOLDER[field] ? {placeholder: PLACEHOLDER[field]} : {})}
							onChange={(value) => dispatch({type: 'form-change', field, value})}
							onSubmit={() => dispatch(i === FORM_FIELDS.length - 1 || field === 'password' ? {type: 'form-submit'} : {type: 'form-move', delta: 1})}
						/>
					)}
				</Box>
			))}
			<Text color={theme.muted}>The password is used once to sign in and is never stored.</Text>
			{form.error ? (
				<Text color={theme.err}>
					{symbols.fail} {form.error}
				</Text>
			) : null}
			<KeyHints hints={[['↑↓/tab', 'field'], ['enter', 'next / test connection'], ['←→', 'token storage'], ['esc', 'back']]} />
		</Box>
	);
}
