/** The one-line title of each screen, with where the user is in the flow. */
import {Box, Text} from 'ink';
import {memo} from 'react';
import {theme} from '../theme.js';

const STEPS = ['Connection', 'Transcript', 'Preview', 'Options', 'Import', 'Summary'] as const;
export type Stage = (typeof STEPS)[number];

/** Memoized: a screen that redraws often (the import) does not render it again while its props are the same. */
export const Header = memo(function Header({stage, title}: {stage: Stage; title?: string}) {
	return (
		<Box marginBottom={1} flexDirection="column">
			<Text>
				<Text bold color={theme.heading}>
					tiledesk-import
				</Text>
				<Text color={theme.muted}>
					{'  '}
					{STEPS.map((s, i) => `${i + 1}.${s === stage ? `[${s}]` : s}`).join(' ')}
				</Text>
			</Text>
			{title ? <Text bold>{title}</Text> : null}
		</Box>
	);
});
