import {describe, expect, it} from 'vitest';
import {epochToMs, parseTimestamp} from '../../source/core/time/parse.js';
import {zonedWallTimeToEpoch} from '../../source/core/time/zone.js';

const utc = {timezone: 'UTC'};

describe('parseTimestamp', () => {
	it('reads ISO 8601 with Z and with offsets', () => {
		expect(parseTimestamp('2025-03-03T08:15:00Z', utc)).toEqual({ok: true, ms: Date.UTC(2025, 2, 3, 8, 15), origin: 'iso-offset'});
		expect(parseTimestamp('2025-03-03T10:15:00+02:00', utc)).toMatchObject({ms: Date.UTC(2025, 2, 3, 8, 15)});
		expect(parseTimestamp('2025-03-03T03:15:00-0500', utc)).toMatchObject({ms: Date.UTC(2025, 2, 3, 8, 15)});
	});

	it('truncates fractional seconds beyond milliseconds', () => {
		expect(parseTimestamp('2022-10-05 15:38:40.369865Z', utc)).toMatchObject({ms: Date.UTC(2022, 9, 5, 15, 38, 40, 369)});
	});

	it('interprets zone-less wall time in the chosen zone', () => {
		const r = parseTimestamp('2025-07-01 12:00:00', {timezone: 'Europe/Rome'});
		expect(r).toEqual({ok: true, ms: Date.UTC(2025, 6, 1, 10, 0), origin: 'iso-local'});
		expect(parseTimestamp('2025-01-15 12:00', {timezone: 'America/New_York'})).toMatchObject({ms: Date.UTC(2025, 0, 15, 17, 0)});
	});

	it('decides the epoch unit by magnitude', () => {
		expect(epochToMs(1_700_000_000)).toEqual({ms: 1_700_000_000_000, origin: 'epoch-s'});
		expect(epochToMs(1573484726.211031)).toEqual({ms: 1573484726211, origin: 'epoch-s'});
		expect(epochToMs(1_700_000_000_123)).toEqual({ms: 1_700_000_000_123, origin: 'epoch-ms'});
		expect(epochToMs(1_700_000_000_123_456)).toEqual({ms: 1_700_000_000_123, origin: 'epoch-us'});
		expect(parseTimestamp('1700000000', utc)).toMatchObject({ms: 1_700_000_000_000, origin: 'epoch-s'});
	});

	it('reads RFC 2822-style dates with an explicit zone', () => {
		expect(parseTimestamp('Tue Oct 31 22:10:47 +0000 2017', utc)).toMatchObject({ok: true, ms: Date.UTC(2017, 9, 31, 22, 10, 47)});
	});

	it('rejects garbage and out-of-range fields with a reason', () => {
		expect(parseTimestamp('yesterday', utc)).toMatchObject({ok: false});
		expect(parseTimestamp('2025-13-01 10:00', utc)).toMatchObject({ok: false, reason: expect.stringContaining('out-of-range')});
	});
});

describe('zonedWallTimeToEpoch around DST', () => {
	it('moves a wall time in the spring-forward gap forward by the gap', () => {
		// Europe/Rome 2025-03-30 02:30 does not exist (02:00 → 03:00).
		expect(zonedWallTimeToEpoch({year: 2025, month: 3, day: 30, hour: 2, minute: 30}, 'Europe/Rome')).toBe(Date.UTC(2025, 2, 30, 1, 30));
	});
	it('takes the earlier instant of an ambiguous fall-back wall time', () => {
		// America/New_York 2025-11-02 01:30 happens twice (EDT then EST).
		expect(zonedWallTimeToEpoch({year: 2025, month: 11, day: 2, hour: 1, minute: 30}, 'America/New_York')).toBe(Date.UTC(2025, 10, 2, 5, 30));
	});
});
