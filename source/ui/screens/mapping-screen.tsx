/**
 * When the format cannot tell: who in the chat is the business side (agents, bots; the rest are customers), and
 * the day/month order of dates like 03/04/25. Choices re-read the file with the matching reader options.
 */
import {Box, Text, useInput, useStdin} from 'ink';
import {useState} from 'react';
import {Header} from '../components/header.js';
import {KeyHints} from '../components/key-hints.js';
import {SelectList} from '../components/select-list.js';
import {theme} from '../theme.js';
import type {Action, WizardState} from '../wizard/machine.js';

type Role = 'customer' | 'agent' | 'bot';
const NEXT: Record<Role, Role> = {customer: 'agent', agent: 'bot', bot: 'customer'};
const ORDERS = ['dmy', 'mdy', 'ymd'] as const;
const ORDER_TEXT = {dmy: 'day first (03/04/25 = 3 April 2025)', mdy: 'month first (03/04/25 = March 4, 2025)', ymd: 'year first (25/04/03 = 3 April 2025)'};

export function MappingScreen({state, dispatch}: {state: WizardState; dispatch(a: Action): void}) {
	const {isRawModeSupported} = useStdin();
	const needs = state.mapping ?? {};
	const people = needs.participants ?? [];
	const [roles, setRoles] = useState<Record<string, Role>>(() => Object.fromEntries(people.map((p, i) => [p, i === 0 ? 'customer' : 'agent'])));
	const [index, setIndex] = useState(0);
	const [order, setOrder] = useState<(typeof ORDERS)[number]>(state.readOptions.dateOrder ?? 'dmy');
	const apply = () => {
		const agents = people.filter((p) => roles[p] === 'agent');
		const bots = people.filter((p) => roles[p] === 'bot');
		dispatch({type: 'mapping-set', readOptions: {...(people.length ? {agents, bots} : {}), ...(needs.dateOrder ? {dateOrder: order} : {})}});
	};
	useInput(
		(input, key) => {
			if (key.escape) dispatch({type: 'back'});
			else if (input === 'o' && needs.dateOrder) setOrder((o) => ORDERS[(ORDERS.indexOf(o) + 1) % ORDERS.length]!);
			else if (input === 'c' || (key.return && people.length === 0)) apply();
		},
		{isActive: Boolean(isRawModeSupported)},
	);
	return (
		<Box flexDirection="column">
			<Header stage="Transcript" title="A few things this export cannot tell by itself" />
			{people.length > 0 ? (
				<>
					<Text>Who is who? Space or enter switches customer → agent → bot. Agents and bots are your side.</Text>
					<SelectList
						items={people}
						index={index}
						onMove={setIndex}
						height={10}
						focus
						onChoose={(p) => setRoles((r) => ({...r, [p]: NEXT[r[p] ?? 'customer']}))}
						onKey={(input, p) => {
							if (input !== ' ' || !p) return false;
							setRoles((r) => ({...r, [p]: NEXT[r[p] ?? 'customer']}));
							return true;
						}}
						render={(p) => (
							<Text>
								{p.padEnd(30)} <Text color={roles[p] === 'customer' ? theme.muted : theme.accent}>{roles[p]}</Text>
							</Text>
						)}
					/>
				</>
			) : null}
			{needs.dateOrder ? (
				<Text>
					Dates like 03/04/25: <Text bold>{ORDER_TEXT[order]}</Text> <Text color={theme.muted}>(o to change)</Text>
				</Text>
			) : null}
			<KeyHints hints={[...(people.length ? ([['space', 'switch role']] as [string, string][]) : []), ...(needs.dateOrder ? ([['o', 'date order']] as [string, string][]) : []), ['c', 'apply and preview'], ['esc', 'back']]} />
		</Box>
	);
}
