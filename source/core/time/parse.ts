import type {DraftTimestamp} from '../model/draft.js';
import type {TimestampOrigin} from '../model/transcript.js';
import {zonedWallTimeToEpoch} from './zone.js';

export type ParsedTimestamp = {ok: true; ms: number; origin: TimestampOrigin} | {ok: false; reason: string};

/**
 * Epoch unit by magnitude (absolute value): below 1e11 seconds (up to year 5138), below 1e14 milliseconds,
 * below 1e17 microseconds, otherwise nanoseconds.
 */
export function epochToMs(value: number): {ms: number; origin: TimestampOrigin} {
	const a = Math.abs(value);
	if (a < 1e11) return {ms: Math.round(value * 1000), origin: 'epoch-s'};
	if (a < 1e14) return {ms: Math.round(value), origin: 'epoch-ms'};
	if (a < 1e17) return {ms: Math.round(value / 1000), origin: 'epoch-us'};
	return {ms: Math.round(value / 1e6), origin: 'epoch-us'};
}

// YYYY-MM-DD[T ]HH:mm[:ss[.fff…]][Z|±HH[:]mm]
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const DIGITS = /^[+-]?\d+(?:\.\d+)?$/;

/** The range of a JavaScript Date (±100,000,000 days around 1970): beyond it no date can be shown or sent. */
export const MAX_EPOCH_MS = 8.64e15;

export function parseTimestamp(value: DraftTimestamp, options: {timezone: string}): ParsedTimestamp {
	const parsed = parseAnyTimestamp(value, options);
	if (parsed.ok && !(Math.abs(parsed.ms) <= MAX_EPOCH_MS)) {
		return {ok: false, reason: `${typeof value === 'string' ? `"${value.trim()}"` : typeof value === 'number' ? String(value) : 'the time'} is outside the range of dates (years −271821 to 275760)`};
	}
	return parsed;
}

function parseAnyTimestamp(value: DraftTimestamp, options: {timezone: string}): ParsedTimestamp {
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return {ok: false, reason: `${value} is not a finite number`};
		return {ok: true, ...epochToMs(value)};
	}
	if (typeof value === 'object') {
		if ('epochMs' in value) {
			return Number.isFinite(value.epochMs) ? {ok: true, ms: value.epochMs, origin: 'format'} : {ok: false, reason: 'not a finite number'};
		}
		return {ok: true, ms: zonedWallTimeToEpoch(value.local, options.timezone), origin: 'format'};
	}
	const text = value.trim();
	if (text === '') return {ok: false, reason: 'empty'};
	if (DIGITS.test(text)) return {ok: true, ...epochToMs(Number(text))};
	const m = ISO.exec(text);
	if (m) {
		const [, y, mo, d, h, mi, s, frac, zone] = m;
		const year = Number(y);
		const month = Number(mo);
		const day = Number(d);
		const hour = Number(h ?? 0);
		const minute = Number(mi ?? 0);
		const second = Number(s ?? 0);
		if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
			return {ok: false, reason: `"${text}" has an out-of-range field`};
		}
		const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
		if (zone) {
			let offsetMin = 0;
			if (zone !== 'Z' && zone !== 'z') {
				const sign = zone.startsWith('-') ? -1 : 1;
				const digits = zone.slice(1).replace(':', '');
				offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
			}
			return {ok: true, ms: Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000, origin: 'iso-offset'};
		}
		return {
			ok: true,
			ms: zonedWallTimeToEpoch({year, month, day, hour, minute, second, ms}, options.timezone),
			origin: 'iso-local',
		};
	}
	// RFC 2822 and other forms with an explicit zone (e.g. `Tue Oct 31 22:10:47 +0000 2017`).
	if (/(?:[+-]\d{4}|\bGMT\b|\bUTC\b|Z)/.test(text)) {
		const parsed = Date.parse(text);
		if (Number.isFinite(parsed)) return {ok: true, ms: parsed, origin: 'iso-offset'};
	}
	return {ok: false, reason: `"${text}" is not a recognised date (use ISO 8601, epoch seconds/ms, or YYYY-MM-DD HH:mm:ss)`};
}
