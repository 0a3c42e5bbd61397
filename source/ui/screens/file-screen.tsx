/**
 * Step 2: choose the transcript. A folder browser (supported files show their detected format, size and date;
 * Enter opens folders) and a typed path with Tab completion; recent files on top.
 */
import {Box, Text, useInput, useStdin} from 'ink';
import {useEffect, useMemo, useState} from 'react';
import {bytes} from '../../reporters/format.js';
import {Header} from '../components/header.js';
import {KeyHints} from '../components/key-hints.js';
import {SelectList} from '../components/select-list.js';
import {TextField} from '../components/text-field.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {symbols, theme} from '../theme.js';
import {completePath, detectFile, listDir, type Detected, type DirEntry} from '../wizard/browse.js';
import type {Action, WizardState} from '../wizard/machine.js';

type Row = DirEntry | {kind: 'recent'; name: string; path: string};

export function FileScreen({state, dispatch, cwd, recent}: {state: WizardState; dispatch(a: Action): void; cwd: string; recent: string[]}) {
	const {isRawModeSupported} = useStdin();
	const {rows: termRows} = useTerminalSize();
	const [dir, setDir] = useState(cwd);
	const [index, setIndex] = useState(0);
	const [typing, setTyping] = useState(false);
	const [typed, setTyped] = useState('');
	const [showAll, setShowAll] = useState(false);
	const [detected, setDetected] = useState<Record<string, Detected>>({});
	const listing = useMemo(() => listDir(dir), [dir]);

	useEffect(() => {
		let cancelled = false;
		void (async () => {
			for (const e of listing) {
				if (e.kind !== 'file' || cancelled) continue;
				const d = await detectFile(e.path);
				if (!cancelled) setDetected((prev) => ({...prev, [e.path]: d}));
			}
		})();
		return () => {
			cancelled = true;
		};
	}, [listing]);

	const rows: Row[] = [
		...(dir === cwd ? recent.slice(0, 5).map((path): Row => ({kind: 'recent', name: path, path})) : []),
		...listing.filter((e) => e.kind !== 'file' || showAll || detected[e.path]?.ok !== false),
	];
	useInput(
		(input, key) => {
			if (typing) {
				if (key.escape) setTyping(false);
				return;
			}
			if (key.escape) dispatch({type: 'back'});
			else if (input === '/' || input === 'p') {
				setTyping(true);
				setTyped(dir === cwd ? '' : `${dir}/`);
			} else if (input === 'a') setShowAll((v) => !v);
			// Ink 6 reports the Backspace key (0x7F, what terminals send) as `delete`.
			else if (key.backspace || key.delete || key.leftArrow) {
				const up = listing.find((e) => e.kind === 'up');
				if (up) {
					setDir(up.path);
					setIndex(0);
				}
			}
		},
		{isActive: Boolean(isRawModeSupported)},
	);
	const open = (row: Row) => {
		if (row.kind === 'dir' || row.kind === 'up') {
			setDir(row.path);
			setIndex(0);
		} else dispatch({type: 'file-chosen', path: row.path});
	};
	return (
		<Box flexDirection="column">
			<Header stage="Transcript" title="Which transcript should be imported?" />
			<Text color={theme.muted}>{dir}</Text>
			<SelectList
				items={rows}
				index={Math.min(index, Math.max(0, rows.length - 1))}
				onMove={setIndex}
				onChoose={open}
				height={Math.max(5, termRows - 12)}
				focus={!typing}
				empty="(no supported files here; a to show all)"
				render={(row, selected) => {
					if (row.kind === 'recent') return <Text color={selected ? theme.accent : undefined}>recent: {row.name}</Text>;
					if (row.kind === 'up') return <Text>.. (up)</Text>;
					if (row.kind === 'dir')
						return (
							<Text>
								{symbols.folder} {row.name}/
							</Text>
						);
					const d = detected[row.path];
					// One line per file, whatever the width: a wrapped row would make the list taller than the terminal.
					return (
						<Text wrap="truncate-end">
							{row.name.padEnd(32)} <Text color={theme.muted}>{bytes(row.size ?? 0).padStart(8)}  {new Date(row.mtime ?? 0).toISOString().slice(0, 16).replace('T', ' ')}  </Text>
							{d === undefined ? <Text color={theme.muted}>detecting…</Text> : d.ok ? <Text color={theme.ok}>{d.label}</Text> : <Text color={theme.muted}>{d.reason}</Text>}
						</Text>
					);
				}}
			/>
			{typing ? (
				<Box>
					<Text>Path: </Text>
					<TextField value={typed} onChange={setTyped} focus onComplete={(v) => completePath(v, cwd)} onSubmit={(v) => v.trim() && dispatch({type: 'file-chosen', path: v.trim()})} />
				</Box>
			) : null}
			{state.error ? (
				<Text color={theme.err}>
					{symbols.fail} {state.error}
				</Text>
			) : null}
			<KeyHints hints={typing ? [['tab', 'complete'], ['enter', 'open'], ['esc', 'browse']] : [['↑↓', 'move'], ['enter', 'open'], ['←', 'up'], ['/', 'type a path'], ['a', showAll ? 'supported only' : 'all files'], ['esc', 'back']]} />
		</Box>
	);
}
