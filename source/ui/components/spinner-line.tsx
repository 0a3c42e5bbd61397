/** A spinner with a sentence (the spinner is ASCII where Unicode is not supported; static when not a TTY). */
import {Spinner} from '@inkjs/ui';
import isUnicodeSupported from 'is-unicode-supported';
import {Box, Text} from 'ink';

export function SpinnerLine({label, detail}: {label: string; detail?: string}) {
	return (
		<Box flexDirection="column">
			<Spinner type={isUnicodeSupported() ? 'dots' : 'line'} label={label} />
			{detail ? <Text dimColor>{detail}</Text> : null}
		</Box>
	);
}
