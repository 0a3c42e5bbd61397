/** The footer of every screen: the keys that work here, always visible. */
import {Box, Text} from 'ink';
import {memo} from 'react';
import {theme} from '../theme.js';

/** Memoized: a screen that redraws often (the import) does not render it again while its props are the same. */
export const KeyHints = memo(function KeyHints({hints}: {hints: [string, string][]}) {
	return (
		<Box marginTop={1} flexWrap="wrap">
			{hints.map(([key, what]) => (
				<Box key={key} marginRight={2}>
					<Text>
						<Text bold>{key}</Text>
						<Text color={theme.muted}> {what}</Text>
					</Text>
				</Box>
			))}
		</Box>
	);
});
