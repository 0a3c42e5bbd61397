/**
 * Wall-clock time in an IANA zone → epoch ms. Hand-written over Intl (no dependency needed): the offset of a zone
 * at an instant is read from one cached Intl.DateTimeFormat per zone, and cached per (zone, hour) because
 * transcripts hold millions of timestamps that share a few thousand hours.
 * DST: a wall time in a gap (spring forward) is moved forward by the gap; an ambiguous wall time (fall back) takes
 * the earlier instant (the first occurrence).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatter(zone: string): Intl.DateTimeFormat {
	let f = formatters.get(zone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
		formatters.set(zone, f);
	}
	return f;
}

/** Offset (ms) of `zone` from UTC at the instant `epochMs`. */
export function zoneOffsetAt(epochMs: number, zone: string): number {
	const hourKey = `${zone}|${Math.floor(epochMs / 3_600_000)}`;
	const cached = offsetCache.get(hourKey);
	if (cached !== undefined) return cached;
	const parts: Record<string, number> = {};
	for (const p of formatter(zone).formatToParts(new Date(epochMs))) {
		if (p.type !== 'literal') parts[p.type] = Number(p.value);
	}
	const asUtc = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
	const offset = asUtc - Math.floor(epochMs / 1000) * 1000;
	if (offsetCache.size > 100_000) offsetCache.clear();
	offsetCache.set(hourKey, offset);
	return offset;
}

export interface WallTime {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second?: number;
	ms?: number;
}

export function zonedWallTimeToEpoch(t: WallTime, zone: string): number {
	const naive = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second ?? 0, t.ms ?? 0);
	if (zone === 'UTC' || zone === 'Etc/UTC') return naive;
	// Two candidate offsets: the ones in force 24 h either side cover any DST transition.
	const before = zoneOffsetAt(naive - 86_400_000, zone);
	const after = zoneOffsetAt(naive + 86_400_000, zone);
	const candidates = [naive - before, naive - after].filter((c) => c + zoneOffsetAt(c, zone) === naive);
	if (candidates.length > 0) return Math.min(...candidates); // ambiguous: the earlier instant
	// In a gap: the wall time does not exist; move it forward by the gap size.
	return naive - before;
}

export function isValidTimezone(zone: string): boolean {
	try {
		formatter(zone);
		return true;
	} catch {
		return false;
	}
}

export function localTimezone(): string {
	return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
