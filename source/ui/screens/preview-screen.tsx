/**
 * Step 3: what is in the file before anything is sent. Tabs: summary (counts, roles, time range, messages per
 * day), findings (each with file:line; Enter jumps to its conversation), conversations (windowed, searchable)
 * and one conversation's messages with sender, role and original time (local or UTC).
 */
import {Box, Text, useInput, useStdin} from 'ink';
import {useEffect, useMemo, useState, useSyncExternalStore} from 'react';
import {formatLocation, type Finding} from '../../core/model/findings.js';
import type {Conversation} from '../../core/model/transcript.js';
import {localTimezone} from '../../core/time/zone.js';
import {Header} from '../components/header.js';
import {KeyHints} from '../components/key-hints.js';
import {SelectList} from '../components/select-list.js';
import {TextField} from '../components/text-field.js';
import {useKeyState} from '../hooks/use-key-state.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {symbols, theme} from '../theme.js';
import type {Action, WizardState} from '../wizard/machine.js';
import type {PreviewData} from '../wizard/preview-data.js';

type Tab = 'summary' | 'findings' | 'conversations';
const TABS: Tab[] = ['summary', 'findings', 'conversations'];

export function formatTime(ms: number, zone: string): string {
	return new Intl.DateTimeFormat('sv-SE', {timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'}).format(ms);
}

export function PreviewScreen({state, dispatch, preview}: {state: WizardState; dispatch(a: Action): void; preview: PreviewData}) {
	const {isRawModeSupported} = useStdin();
	const {rows, columns} = useTerminalSize();
	// What the keys act on is read through the getters: keys can outrun a redraw (typing right after "/"; a
	// paste), and the handler of the previous frame must not take the "c" of a search for "continue".
	const [tab, setTab, currentTab] = useKeyState<Tab>('summary');
	const [open, setOpen, currentOpen] = useKeyState<number | undefined>(undefined);
	const [searching, setSearching, isSearching] = useKeyState(false);
	const [query, setQuery] = useState('');
	const [listIndex, setListIndex] = useState(0);
	const [findingIndex, setFindingIndex] = useState(0);
	const zone = state.readOptions.timezone ?? localTimezone();
	// Re-render as the scan finds more (the preview announces changes at most 10 times a second).
	const version = useSyncExternalStore(preview.subscribe, preview.version);
	const matches = useMemo(() => preview.search(query), [preview, query, version]);
	const scanning = !preview.complete();
	const listHeight = Math.max(4, rows - 12);

	useInput(
		(input, key) => {
			if (currentOpen() !== undefined || isSearching()) return;
			const now = currentTab();
			if (key.escape) dispatch({type: 'back'});
			else if (key.tab || key.rightArrow) setTab(TABS[(TABS.indexOf(now) + 1) % TABS.length]!);
			else if (key.leftArrow) setTab(TABS[(TABS.indexOf(now) + TABS.length - 1) % TABS.length]!);
			else if (input === '1' || input === '2' || input === '3') setTab(TABS[Number(input) - 1]!);
			else if (input === 'c') dispatch({type: 'continue'});
			else if (input === '/' && now === 'conversations') setSearching(true);
		},
		{isActive: Boolean(isRawModeSupported)},
	);

	if (open !== undefined) {
		// `height` counts messages, and each message takes two lines (time/sender, text); about 11 lines go to the
		// header, the requester line, up to 3 findings and the key hints, so the view stays shorter than the terminal.
		return <ConversationView preview={preview} index={open} zone={zone} height={Math.max(1, Math.floor((rows - 11) / 2))} width={columns} onClose={() => setOpen(undefined)} />;
	}
	const s = preview.summary();
	const findings = preview.findings();
	return (
		<Box flexDirection="column">
			<Header stage="Preview" title={`${state.file} — ${preview.format.label}`} />
			{scanning ? <ScanLine preview={preview} /> : null}
			<Text>
				{TABS.map((t, i) => (
					<Text key={t} {...(t === tab ? {inverse: true} : {color: theme.muted})}>
						{` ${i + 1} ${t === 'findings' ? `findings (${s.errors} errors, ${s.warnings} warnings)` : t} `}
					</Text>
				))}
			</Text>
			{tab === 'summary' ? <Summary preview={preview} zone={zone} width={columns} /> : null}
			{tab === 'findings' ? (
				<SelectList
					items={findings}
					index={Math.min(findingIndex, Math.max(0, findings.length - 1))}
					onMove={setFindingIndex}
					height={listHeight}
					focus
					empty="No findings: the file is ready to import."
					onChoose={(f) => {
						const index = f.conversationId !== undefined ? preview.indexOf(f.conversationId) : undefined;
						if (index !== undefined) setOpen(index);
					}}
					render={(f) => <FindingLine finding={f} width={columns - 4} />}
				/>
			) : null}
			{tab === 'conversations' ? (
				<Box flexDirection="column">
					<Box>
						<Text color={theme.muted}>search: </Text>
						{searching ? <TextField value={query} onChange={setQuery} focus onSubmit={() => setSearching(false)} /> : <Text>{query || <Text color={theme.muted}>(press / to search ids, names, subjects)</Text>}</Text>}
						<Text color={theme.muted}>  {matches.length.toLocaleString('en-US')} of {preview.size().toLocaleString('en-US')}{scanning ? ' so far' : ''}</Text>
					</Box>
					<SelectList
						items={matches}
						index={Math.min(listIndex, Math.max(0, matches.length - 1))}
						onMove={setListIndex}
						height={listHeight}
						focus={!searching}
						onChoose={(i) => setOpen(i)}
						render={(i) => {
							const e = preview.entry(i)!;
							return (
								<Text wrap="truncate">
									{e.errors ? <Text color={theme.err}>{symbols.fail} </Text> : e.warnings ? <Text color={theme.warn}>{symbols.warn} </Text> : '  '}
									{e.id.padEnd(18)} {String(e.messages).padStart(5)} msgs  {e.first !== undefined ? formatTime(e.first, zone).slice(0, 16) : '(no time)'.padEnd(16)}  {e.requester}
									{e.subject ? <Text color={theme.muted}> — {e.subject}</Text> : null}
								</Text>
							);
						}}
					/>
				</Box>
			) : null}
			<KeyHints
				hints={
					searching
						? [['enter', 'done'], ['ctrl+u', 'clear']]
						: [['←→/tab', 'tabs'], ...(tab !== 'summary' ? ([['enter', 'open']] as [string, string][]) : []), ...(tab === 'conversations' ? ([['/', 'search']] as [string, string][]) : []), ['c', scanning ? 'continue (once the whole file is checked)' : 'continue to options'], ['esc', 'other file']]
				}
			/>
		</Box>
	);
}

function FindingLine({finding: f, width}: {finding: Finding; width: number}) {
	const colour = f.severity === 'error' ? theme.err : f.severity === 'warning' ? theme.warn : theme.muted;
	return (
		<Text wrap="truncate" >
			<Text color={colour}>{f.severity.toUpperCase().padEnd(7)}</Text> {f.code} <Text color={theme.muted}>{f.location ? formatLocation(f.location) : ''}{f.conversationId ? ` [${f.conversationId}]` : ''}</Text> {f.message.slice(0, Math.max(20, width))}
		</Text>
	);
}

/** While a big file is still being read: how far, and what was found so far. */
function ScanLine({preview}: {preview: PreviewData}) {
	const p = preview.progress();
	const percent = p.totalBytes > 0 && p.bytesRead > 0 ? ` ${Math.floor((p.bytesRead / p.totalBytes) * 100)} %` : '';
	const what = p.phase === 'index' ? `reading${percent}` : `checking ${p.validated.toLocaleString('en-US')} of ${p.conversations.toLocaleString('en-US')} conversations`;
	return (
		<Text color={theme.muted} wrap="truncate">
			{symbols.ellipsis} {what} · {p.conversations.toLocaleString('en-US')} conversations, {p.messages.toLocaleString('en-US')} messages so far
		</Text>
	);
}

function Summary({preview, zone, width}: {preview: PreviewData; zone: string; width: number}) {
	const s = preview.summary();
	const roles = ['end-user', 'agent', 'bot', 'system'] as const;
	const days = Object.entries(s.messagesPerDay).sort(([a], [b]) => a.localeCompare(b));
	// More than 12 days: group by month so the chart stays small.
	const buckets = days.length > 12 ? Object.entries(days.reduce<Record<string, number>>((acc, [d, n]) => ({...acc, [d.slice(0, 7)]: (acc[d.slice(0, 7)] ?? 0) + n}), {})) : days;
	const shown = buckets.slice(-12);
	const max = Math.max(1, ...shown.map(([, n]) => n));
	const barWidth = Math.max(10, Math.min(40, width - 30));
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text>
				{s.conversations.toLocaleString('en-US')} conversations{s.blockedConversations ? <Text color={theme.err}> ({s.blockedConversations} blocked by errors)</Text> : null} · {s.messages.toLocaleString('en-US')} messages
			</Text>
			<Text>participants: {roles.map((r) => `${r} ${s.participants[r]}`).join(' · ')}</Text>
			<Text>messages:     {roles.map((r) => `${r} ${s.messagesByRole[r]}`).join(' · ')}</Text>
			<Text>
				time range:   {s.firstTimestamp !== undefined && s.lastTimestamp !== undefined ? `${formatTime(s.firstTimestamp, zone)} ${symbols.arrowRight} ${formatTime(s.lastTimestamp, zone)} (${zone})` : 'no timestamps'}
			</Text>
			<Text color={theme.muted}>detected: {preview.format.reason}</Text>
			{shown.length > 0 ? (
				<Box flexDirection="column" marginTop={1}>
					<Text color={theme.muted}>messages per {days.length > 12 ? 'month' : 'day'}{buckets.length > shown.length ? ` (last ${shown.length})` : ''}</Text>
					{shown.map(([d, n]) => (
						<Text key={d}>
							{d.padEnd(10)} {symbols.barFull.repeat(Math.max(1, Math.round((n / max) * barWidth)))} {n}
						</Text>
					))}
				</Box>
			) : null}
			{s.errors + s.warnings > 0 ? (
				<Text color={s.errors ? theme.err : theme.warn}>
					{s.errors ? symbols.fail : symbols.warn} {s.errors} errors, {s.warnings} warnings — see the findings tab{s.errors ? '; conversations with errors are left out of the import' : ''}
				</Text>
			) : (
				<Text color={theme.ok}>{symbols.ok} No problems found.</Text>
			)}
		</Box>
	);
}

function ConversationView({preview, index, zone, height, width, onClose}: {preview: PreviewData; index: number; zone: string; height: number; width: number; onClose(): void}) {
	const {isRawModeSupported} = useStdin();
	const [loaded, setLoaded] = useState<{conversation: Conversation; findings: Finding[]} | null | undefined>();
	const [top, setTop] = useState(0);
	const [utc, setUtc] = useState(false);
	useEffect(() => {
		const controller = new AbortController();
		void preview.readConversation(index, controller.signal).then((c) => setLoaded(c ?? null), () => setLoaded(null));
		return () => controller.abort();
	}, [preview, index]);
	const count = loaded?.conversation.messages.length ?? 0;
	useInput(
		(input, key) => {
			// Ink 6 reports the Backspace key (0x7F, what terminals send) as `delete`.
			if (key.escape || key.backspace || key.delete) onClose();
			else if (key.upArrow) setTop((t) => Math.max(0, t - 1));
			else if (key.downArrow) setTop((t) => Math.max(0, Math.min(count - 1, t + 1)));
			else if (key.pageDown) setTop((t) => Math.max(0, Math.min(count - 1, t + height)));
			else if (key.pageUp) setTop((t) => Math.max(0, t - height));
			else if (input === 'u') setUtc((u) => !u);
		},
		{isActive: Boolean(isRawModeSupported)},
	);
	if (loaded === undefined) return <Text>Reading conversation…</Text>;
	if (loaded === null) return <Text color={theme.err}>This conversation could not be read again (press esc).</Text>;
	const c = loaded.conversation;
	const shownZone = utc ? 'UTC' : zone;
	return (
		<Box flexDirection="column">
			<Header stage="Preview" title={`Conversation ${c.id}${c.subject ? ` — ${c.subject}` : ''}`} />
			<Text color={theme.muted}>
				requester {c.requester.name ?? c.requester.id}
				{c.requester.email ? ` <${c.requester.email}>` : ''} · {c.messages.length} messages · times in {shownZone}
			</Text>
			{c.messages.slice(top, top + height).map((m, i) => (
				<Box key={top + i} flexDirection="column">
					<Text wrap="truncate">
						<Text color={theme.muted}>#{top + i} {m.timestamp !== undefined ? formatTime(m.timestamp, shownZone) : `(no time; ${formatTime(m.clientTimestamp, shownZone)} synthesized)`}</Text>{' '}
						<Text bold>{m.senderName ?? m.senderId}</Text> <Text color={m.role === 'end-user' ? theme.accent : m.role === 'system' ? theme.muted : theme.ok}>[{m.role}]</Text>
						{m.private ? <Text color={theme.warn}> [private note]</Text> : null}
					</Text>
					<Text wrap="truncate-end">  {(m.text || m.attachments.map((a) => `[attachment ${a.name ?? a.url ?? ''}]`).join(' ')).replace(/\n/g, ' ⏎ ').slice(0, Math.max(20, width * 2))}</Text>
				</Box>
			))}
			{loaded.findings.slice(0, 3).map((f, i) => (
				<FindingLine key={i} finding={f} width={width - 4} />
			))}
			<KeyHints hints={[['↑↓ pgup/pgdn', 'scroll'], ['u', utc ? 'local time' : 'UTC'], ['esc', 'back']]} />
		</Box>
	);
}
