/** The footer of every screen: the keys that work here, always visible. */
import {Box, Text} from 'ink';
import {theme} from '../theme.js';

export function KeyHints({hints}: {hints: [string, string][]}) {
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
}
