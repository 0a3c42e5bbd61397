/** The transcript-reading flags shared by `preview` and `import` (parseArgs option specs and their validation). */
import {assertTimezone} from '../core/normalize/index.js';
import {parseMapFlag} from '../core/readers/native/csv-mapping.js';
import {localTimezone} from '../core/time/zone.js';
import type {LoadOptions} from '../core/transcript/load.js';
import {UsageError} from './io.js';

export const readOptionSpecs = {
	format: {type: 'string'},
	map: {type: 'string'},
	delimiter: {type: 'string'},
	timezone: {type: 'string'},
	'date-order': {type: 'string'},
	agents: {type: 'string'},
	bots: {type: 'string'},
	'private-notes': {type: 'string'},
	'split-sessions': {type: 'boolean'},
	'slack-grouping': {type: 'string'},
	companion: {type: 'string', multiple: true},
} as const;

export const readOptionsHelp = `  --format ID           skip detection (json, jsonl, csv, whatsapp, rasa, telegram, slack, …)
  --map F=COL,…         CSV column mapping, e.g. conversationId=Ticket,text=Body
  --delimiter C         CSV delimiter (default: guessed from the header)
  --timezone ZONE       zone for timestamps without one (default: ${localTimezone()})
  --date-order ORDER    dmy, mdy or ymd for dates like 03/04/25 (WhatsApp); default: inferred, else dmy
  --agents A,B          participants (names or ids) who are the business side where the export cannot tell
                        (WhatsApp, Telegram, Slack, Zendesk, Bot Framework, Intercom, Freshdesk, Gorgias, twcs)
  --bots A,B            participants who are bots
  --private-notes MODE  skip (default) or import internal notes
  --split-sessions      Rasa: one conversation per session
  --slack-grouping G    Slack: channel (default) or thread
  --companion FILE      a second file the format needs (Gorgias: the messages CSV beside the tickets CSV)`;

type Values = {
	[K in keyof typeof readOptionSpecs]?: (typeof readOptionSpecs)[K] extends {multiple: true} ? string[] : (typeof readOptionSpecs)[K]['type'] extends 'boolean' ? boolean : string;
};

function wrapUsage<T>(fn: () => T, hint: string): T {
	try {
		return fn();
	} catch (error) {
		throw new UsageError((error as Error).message, hint);
	}
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], hint?: string): T | undefined {
	if (value === undefined) return undefined;
	if (!allowed.includes(value as T)) throw new UsageError(`--${flag} expects ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')}, got "${value}"`, hint);
	return value as T;
}

export function list(value: string | undefined): string[] | undefined {
	return value
		?.split(',')
		.map((x) => x.trim())
		.filter((x) => x !== '');
}

/** Validated reading options; the time zone defaults to the machine's. Throws UsageError. */
export function readOptionsFrom(v: Values): LoadOptions & {timezone: string} {
	const options: LoadOptions = {};
	if (v.format) options.format = v.format;
	if (v.delimiter) options.delimiter = v.delimiter === '\\t' || v.delimiter === 'tab' ? '\t' : v.delimiter;
	if (v.map) options.columnMap = wrapUsage(() => parseMapFlag(v.map!), 'example: --map conversationId=Ticket,text=Body,timestamp=Sent');
	const dateOrder = oneOf('date-order', v['date-order'], ['dmy', 'mdy', 'ymd'] as const, 'dmy = 03/04/25 is 3 April');
	if (dateOrder) options.dateOrder = dateOrder;
	const notes = oneOf('private-notes', v['private-notes'], ['skip', 'import'] as const);
	if (notes) options.privateNotes = notes;
	const grouping = oneOf('slack-grouping', v['slack-grouping'], ['channel', 'thread'] as const);
	if (grouping) options.slackGrouping = grouping;
	if (v.agents !== undefined) options.agents = list(v.agents)!;
	if (v.bots !== undefined) options.bots = list(v.bots)!;
	if (v['split-sessions']) options.splitSessions = true;
	if (v.companion?.length) options.companionFiles = v.companion;
	const timezone = v.timezone ? wrapUsage(() => assertTimezone(v.timezone!), 'examples: UTC, Europe/Rome, America/New_York') : localTimezone();
	return {...options, timezone};
}

export function positiveInt(flag: string, value: string | undefined, {min = 1, max = Number.MAX_SAFE_INTEGER} = {}): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} expects a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ` ≥ ${min}`}, got "${value}"`);
	return n;
}
