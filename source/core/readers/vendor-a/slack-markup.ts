/**
 * Slack message markup → plain text: `<@U123>` mentions resolved through users.json, `<#C1|general>` channels,
 * `<!here>` broadcasts, `<url|label>` links (kept as `label (url)`), and the three HTML entities Slack escapes.
 */
export function unwrapSlackMarkup(text: string, userName: (id: string) => string | undefined): string {
	return text
		.replace(/<([^<>]+)>/g, (whole, inner: string) => {
			const bar = inner.indexOf('|');
			const target = bar >= 0 ? inner.slice(0, bar) : inner;
			const label = bar >= 0 ? inner.slice(bar + 1) : undefined;
			if (target.startsWith('@')) return `@${userName(target.slice(1)) ?? label ?? target.slice(1)}`;
			if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
			if (target.startsWith('!')) {
				const special = target.slice(1);
				if (label) return label.startsWith('@') ? label : `@${label}`;
				return special.startsWith('subteam^') || special.startsWith('date^') ? whole : `@${special}`;
			}
			if (/^(https?|mailto|tel|ftp):/i.test(target)) {
				const bare = target.replace(/^mailto:|^tel:/i, '');
				if (!label || label === target || label === bare || `http://${label}` === target || `https://${label}` === target) return bare;
				return `${label} (${bare})`;
			}
			return whole;
		})
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/** Slack `ts` (`"1452845865.000008"`, seconds with microseconds as a string) → epoch ms, without float error. */
export function slackTsToMs(ts: string): number | undefined {
	const m = /^(\d+)(?:\.(\d+))?$/.exec(ts.trim());
	if (!m) return undefined;
	return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0').slice(0, 3));
}
