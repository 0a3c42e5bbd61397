/**
 * A controlled one-line text field (cursor at the end) whose input handling is gated on raw-mode support.
 * Tab asks the owner for a completion; Enter submits; the value can be masked (passwords).
 */
import {Text, useInput, useStdin} from 'ink';
import {useControlled} from '../hooks/use-controlled.js';
import {theme} from '../theme.js';

export interface TextFieldProps {
	value: string;
	onChange(value: string): void;
	onSubmit?(value: string): void;
	/** Tab: return the completed value (or undefined to leave it). */
	onComplete?(value: string): string | undefined;
	focus: boolean;
	mask?: string;
	placeholder?: string;
}

export function TextField({value, onChange, onSubmit, onComplete, focus, mask, placeholder}: TextFieldProps) {
	const {isRawModeSupported} = useStdin();
	// Keys can arrive faster than React re-renders: no keystroke may be lost.
	const latest = useControlled(value);
	const change = (next: string) => {
		latest.set(next);
		onChange(next);
	};
	useInput(
		(input, key) => {
			const v = latest.get();
			if (key.return) return onSubmit?.(v);
			if (key.tab) {
				const completed = onComplete?.(v);
				if (completed !== undefined) change(completed);
				return;
			}
			if (key.backspace || key.delete) return change(v.slice(0, -1));
			if (key.ctrl && input === 'u') return change('');
			if (key.ctrl || key.meta || key.escape || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return;
			if (!input) return;
			// Pasted text (or a terminal that sends text and Enter in one read): add the text, then submit at the newline.
			const newline = input.search(/[\r\n]/);
			if (newline < 0) return change(v + input);
			const next = v + input.slice(0, newline);
			change(next);
			onSubmit?.(next);
		},
		{isActive: focus && Boolean(isRawModeSupported)},
	);
	const shown = mask ? mask.repeat([...value].length) : value;
	return (
		<Text>
			{shown === '' && placeholder ? <Text color={theme.muted}>{placeholder}</Text> : shown}
			{focus ? <Text inverse> </Text> : null}
		</Text>
	);
}
