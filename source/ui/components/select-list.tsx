/**
 * A windowed list with a pointer: ↑/↓ (and PageUp/PageDown, Home/End) move, Enter chooses. Input is gated on
 * raw-mode support and on `focus`. Only `height` rows are rendered, so huge lists stay fast.
 */
import {Box, Text, useInput, useStdin} from 'ink';
import type {ReactNode} from 'react';
import {useControlled} from '../hooks/use-controlled.js';
import {symbols, theme} from '../theme.js';

/** An array, or anything that can hand out a window of rows (a list of a million conversations). */
export interface ListItems<T> {
	readonly length: number;
	slice(start: number, end: number): readonly T[];
}

export interface SelectListProps<T> {
	items: ListItems<T>;
	index: number;
	onMove(index: number): void;
	onChoose?(item: T, index: number): void;
	render(item: T, selected: boolean): ReactNode;
	height: number;
	focus: boolean;
	/** Extra keys for the owner (returns true when handled). */
	onKey?(input: string, item: T | undefined): boolean;
	empty?: string;
}

export function SelectList<T>({items, index, onMove, onChoose, render, height, focus, onKey, empty}: SelectListProps<T>) {
	const {isRawModeSupported} = useStdin();
	// Keys can arrive faster than React re-renders (a held key, pasted input): track the pointer in a ref so each
	// key moves from where the previous one left it.
	const current = useControlled(index);
	const clamp = (i: number) => Math.max(0, Math.min(items.length - 1, i));
	const move = (i: number) => {
		const next = clamp(i);
		current.set(next);
		onMove(next);
	};
	useInput(
		(input, key) => {
			const at = clamp(current.get());
			if (key.upArrow) return move(at - 1);
			if (key.downArrow) return move(at + 1);
			if (key.pageUp) return move(at - height);
			if (key.pageDown) return move(at + height);
			if (key.return) {
				const item = items.slice(at, at + 1)[0];
				if (item !== undefined) onChoose?.(item, at);
				return;
			}
			onKey?.(input, items.slice(at, at + 1)[0]);
		},
		{isActive: focus && Boolean(isRawModeSupported)},
	);
	if (items.length === 0) return <Text color={theme.muted}>{empty ?? '(nothing)'}</Text>;
	const start = Math.max(0, Math.min(index - Math.floor(height / 2), items.length - height));
	const visible = items.slice(start, start + height);
	return (
		<Box flexDirection="column">
			{start > 0 ? <Text color={theme.muted}>  {symbols.ellipsis} {start} more above</Text> : null}
			{visible.map((item, i) => {
				const selected = start + i === index;
				return (
					<Box key={start + i}>
						{/* The pointer column never shrinks, even when the row is wider than the terminal. */}
						<Box flexShrink={0}>
							<Text color={selected ? theme.accent : undefined}>{selected ? `${symbols.pointer} ` : '  '}</Text>
						</Box>
						{render(item, selected)}
					</Box>
				);
			})}
			{start + height < items.length ? <Text color={theme.muted}>  {symbols.ellipsis} {items.length - start - height} more below</Text> : null}
		</Box>
	);
}
