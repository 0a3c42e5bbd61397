/** Step 1: choose a saved connection profile (or the built-in sandbox), create, edit or delete one. */
import {Box, Text} from 'ink';
import {useState} from 'react';
import {Header} from '../components/header.js';
import {KeyHints} from '../components/key-hints.js';
import {SelectList} from '../components/select-list.js';
import {useKeyState} from '../hooks/use-key-state.js';
import {symbols, theme} from '../theme.js';
import type {Action, ProfileView, WizardState} from '../wizard/machine.js';

type Row = {kind: 'profile'; profile: ProfileView} | {kind: 'new'};

export function ProfilesScreen({state, dispatch, onDelete, onQuit}: {state: WizardState; dispatch(a: Action): void; onDelete(name: string): void; onQuit(): void}) {
	const rows: Row[] = [...state.profiles.map((profile): Row => ({kind: 'profile', profile})), {kind: 'new'}];
	const [index, setIndex] = useState(0);
	// Read through pendingDelete(): a move cancels the question even before the screen shows that (d ↓ ↑ d, fast).
	const [confirmDelete, setConfirmDelete, pendingDelete] = useKeyState<string | undefined>(undefined);
	return (
		<Box flexDirection="column">
			<Header stage="Connection" title="Where should the conversations go?" />
			<SelectList
				items={rows}
				index={Math.min(index, rows.length - 1)}
				onMove={(i) => {
					setIndex(i);
					setConfirmDelete(undefined);
				}}
				height={10}
				focus
				onChoose={(row) => (row.kind === 'new' ? dispatch({type: 'new-profile'}) : dispatch({type: 'choose-profile', name: row.profile.name}))}
				onKey={(input, row) => {
					if (input === 'n') dispatch({type: 'new-profile'});
					else if (input === 'q') onQuit();
					else if (row?.kind === 'profile' && !row.profile.sandbox && input === 'e') dispatch({type: 'edit-profile', name: row.profile.name});
					else if (row?.kind === 'profile' && !row.profile.sandbox && input === 'd') {
						if (pendingDelete() === row.profile.name) {
							onDelete(row.profile.name);
							setConfirmDelete(undefined);
						} else setConfirmDelete(row.profile.name);
					} else return false;
					return true;
				}}
				render={(row) =>
					row.kind === 'new' ? (
						<Text color={theme.accent}>+ New profile…</Text>
					) : row.profile.sandbox ? (
						<Text>
							{row.profile.name} <Text color={theme.muted}>— a local Tiledesk-like server: try everything without an account</Text>
						</Text>
					) : (
						<Text>
							{row.profile.name}{' '}
							<Text color={theme.muted}>
								{row.profile.email} {symbols.arrowRight} {row.profile.apiUrl} project {row.profile.projectId}
							</Text>
						</Text>
					)
				}
			/>
			{confirmDelete ? <Text color={theme.warn}>{symbols.warn} Press d again to delete the profile "{confirmDelete}" (and its stored sign-in).</Text> : null}
			{state.error ? (
				<Text color={theme.err}>
					{symbols.fail} {state.error}
				</Text>
			) : null}
			{state.profileProblems.map((p) => (
				<Text key={p} color={theme.warn}>
					{symbols.warn} {p}
				</Text>
			))}
			<KeyHints hints={[['↑↓', 'move'], ['enter', 'connect'], ['n', 'new'], ['e', 'edit'], ['d', 'delete'], ['q', 'quit']]} />
		</Box>
	);
}
