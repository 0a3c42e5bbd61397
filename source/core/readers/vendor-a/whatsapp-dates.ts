/**
 * WhatsApp dates carry no zone and follow the phone's locale: day-first, month-first, or year-first. The order is
 * inferred from the whole file when some value decides it (a first field above 12 can only be a day), otherwise
 * the caller's choice or the locale-neutral default (day-first) is assumed and reported.
 */
import type {WhatsAppStamp} from './whatsapp-line.js';
import type {WallTime} from '../../time/zone.js';

export type DateOrder = 'dmy' | 'mdy' | 'ymd';

export interface DateOrderEvidence {
	/** The order the file proves, or undefined when every day and month value is 12 or less. */
	order?: DateOrder;
	/** The 1-based line whose date decided it, and that date as written. */
	evidence?: {line: number; date: string};
	/** A line proving the other order (a file mixing both, or a broken line). */
	conflicting?: {line: number; date: string};
}

export interface DatedLine {
	line: number;
	stamp: WhatsAppStamp;
}

/** The default when nothing decides: most locales in the world write the day first. */
export const DEFAULT_DATE_ORDER: DateOrder = 'dmy';

/**
 * What a file's dates prove about their order: a first field above 12 proves day-first, a second field above 12
 * proves month-first, 4-digit first fields are year-first. When both proofs exist, the majority wins.
 */
export function inferDateOrder(lines: Iterable<DatedLine>): DateOrderEvidence {
	let dayFirst: DatedLine | undefined;
	let monthFirst: DatedLine | undefined;
	let dayFirstCount = 0;
	let monthFirstCount = 0;
	let yearFirstOnly = true;
	let any = false;
	for (const l of lines) {
		any = true;
		const [a, b] = l.stamp.date;
		if (a.length === 4) continue;
		yearFirstOnly = false;
		if (Number(a) > 12 && Number(b) <= 12) {
			dayFirstCount++;
			dayFirst ??= l;
		} else if (Number(b) > 12 && Number(a) <= 12) {
			monthFirstCount++;
			monthFirst ??= l;
		}
	}
	const shown = (l: DatedLine): {line: number; date: string} => ({line: l.line, date: l.stamp.date.join('/')});
	if (any && yearFirstOnly) return {order: 'ymd'};
	if (dayFirst && !monthFirst) return {order: 'dmy', evidence: shown(dayFirst)};
	if (monthFirst && !dayFirst) return {order: 'mdy', evidence: shown(monthFirst)};
	if (dayFirst && monthFirst) {
		return dayFirstCount >= monthFirstCount
			? {order: 'dmy', evidence: shown(dayFirst), conflicting: shown(monthFirst)}
			: {order: 'mdy', evidence: shown(monthFirst), conflicting: shown(dayFirst)};
	}
	return {};
}

/** Human name of an order, for messages. */
export function describeOrder(order: DateOrder): string {
	return order === 'dmy' ? 'day/month/year' : order === 'mdy' ? 'month/day/year' : 'year/month/day';
}

/** Wall-clock fields without a zone (the normalizer reads them in `--timezone`). */
export type LocalTime = WallTime;

/**
 * Wall-clock fields of a stamp in the given order, or the reason they are invalid. Two-digit years are 20yy
 * (WhatsApp appeared in 2009). A 12-hour marker on an hour above 12 (`13:37:00 p.m.`, seen in real exports) is
 * ignored: the hour is already on the 24-hour clock (`inconsistentMeridiem`).
 */
export function toLocalTime(stamp: WhatsAppStamp, order: DateOrder): {ok: true; local: LocalTime; inconsistentMeridiem: boolean} | {ok: false; reason: string} {
	const [a, b, c] = stamp.date;
	const effective: DateOrder = a.length === 4 ? 'ymd' : order;
	const [y, mo, d] = effective === 'ymd' ? [a, b, c] : effective === 'dmy' ? [c, b, a] : [c, a, b];
	if (y.length !== 2 && y.length !== 4) return {ok: false, reason: `year "${y}" has ${y.length} digits`};
	const year = y.length === 2 ? 2000 + Number(y) : Number(y);
	const month = Number(mo);
	const day = Number(d);
	if (month < 1 || month > 12) return {ok: false, reason: `month ${month} is out of range (date order ${effective}; change with --date-order)`};
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (day < 1 || day > daysInMonth) return {ok: false, reason: `day ${day} does not exist in ${year}-${String(month).padStart(2, '0')}`};
	let hour = stamp.hour;
	let inconsistentMeridiem = false;
	if (stamp.meridiem) {
		if (hour > 12) inconsistentMeridiem = true;
		else if (stamp.meridiem === 'p' && hour < 12) hour += 12;
		else if (stamp.meridiem === 'a' && hour === 12) hour = 0;
	}
	if (hour > 23 || stamp.minute > 59 || (stamp.second ?? 0) > 59) return {ok: false, reason: `time ${stamp.hour}:${stamp.minute} is out of range`};
	const local: LocalTime = {year, month, day, hour, minute: stamp.minute};
	if (stamp.second !== undefined) local.second = stamp.second;
	return {ok: true, local, inconsistentMeridiem};
}
