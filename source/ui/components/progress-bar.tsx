/** A text progress bar that also says the percentage in words (never colour alone). */
import {Text} from 'ink';
import {symbols, theme} from '../theme.js';

export function ProgressBar({done, total, width}: {done: number; total: number; width: number}) {
	const ratio = total > 0 ? Math.min(1, done / total) : 0;
	const filled = Math.round(ratio * width);
	return (
		<Text>
			<Text color={theme.ok}>{symbols.barFull.repeat(filled)}</Text>
			<Text color={theme.muted}>{symbols.barEmpty.repeat(Math.max(0, width - filled))}</Text>
			<Text> {Math.floor(ratio * 100)}%</Text>
		</Text>
	);
}
