/** Reading and validating the transcript, with what has been found so far. */
import {Box, Text} from 'ink';
import {Header} from '../components/header.js';
import {SpinnerLine} from '../components/spinner-line.js';
import {ProgressBar} from '../components/progress-bar.js';
import {theme} from '../theme.js';
import type {WizardState} from '../wizard/machine.js';

export function ScanningScreen({state}: {state: WizardState}) {
	const s = state.scan;
	return (
		<Box flexDirection="column">
			<Header stage="Transcript" />
			<SpinnerLine label={`Reading ${state.file ?? ''}${state.format ? ` (${state.format.label})` : ''}…`} detail={s ? `${s.conversations.toLocaleString('en-US')} conversations, ${s.messages.toLocaleString('en-US')} messages so far` : undefined} />
			{s && s.totalBytes > 0 && s.bytesRead > 0 ? <ProgressBar done={s.bytesRead} total={s.totalBytes} width={30} /> : null}
			{state.format ? <Text color={theme.muted}>detected: {state.format.reason}</Text> : null}
		</Box>
	);
}
