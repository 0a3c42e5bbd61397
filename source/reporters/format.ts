/** Small formatting helpers shared by the reporters and the TUI (durations, sizes, counts, plan lines). */
import type {ConversationStatus, RunTotals, StopReason} from '../core/import/events.js';
import type {Plan} from '../core/import/plan.js';

export function duration(ms: number): string {
	if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
	const s = ms / 1000;
	if (s < 60) return `${s.toFixed(1)} s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
	return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function bytes(n: number): string {
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
	if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
	return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
	return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/** What the word and symbol of each outcome are: status is never told by colour alone. */
export const STATUS_LABEL: Record<ConversationStatus, {symbol: string; ascii: string; word: string}> = {
	imported: {symbol: '✔', ascii: '+', word: 'imported'},
	completed: {symbol: '✔', ascii: '+', word: 'completed'},
	unchanged: {symbol: '=', ascii: '=', word: 'unchanged'},
	blocked: {symbol: '⊘', ascii: '!', word: 'blocked'},
	failed: {symbol: '✖', ascii: 'x', word: 'FAILED'},
	cancelled: {symbol: '↷', ascii: '-', word: 'stopped'},
	planned: {symbol: '·', ascii: '.', word: 'planned'},
};

/** The plan in plain sentences: what will happen, before anything is written. */
export function planLines(plan: Plan, dryRun: boolean): string[] {
	const lines: string[] = [];
	const target = plan.projectName ? `project "${plan.projectName}" (${plan.projectId})` : `project ${plan.projectId}`;
	lines.push(`${dryRun ? 'Dry run — nothing will be written. ' : ''}${plan.file} (${plan.format}) → ${target}`);
	lines.push(`  ${plural(plan.conversations, 'conversation')} with ${plural(plan.messages, 'message')} to import${plan.inFile !== plan.conversations + plan.blocked ? ` (of ${plan.inFile} in the file)` : ''}`);
	if (plan.blocked > 0) lines.push(`  ${plural(plan.blocked, 'conversation')} left out: the transcript has errors for them (run \`tiledesk-import preview\`)`);
	if (plan.alreadyDone > 0) lines.push(`  ${plural(plan.alreadyDone, 'conversation')} already imported by an earlier run of this job: skipped`);
	if (plan.unknownIds.length > 0) lines.push(`  not in the file: ${plan.unknownIds.slice(0, 5).join(', ')}${plan.unknownIds.length > 5 ? ' …' : ''}`);
	lines.push(`  about ${plural(plan.calls, 'API call')}, ${bytes(plan.bytes)} sent, ${duration(plan.estimatedMs)} with ${plan.options.concurrency ?? 4} in flight`);
	const q = plan.quota;
	const quota = q?.limit !== undefined ? `; monthly quota: ${q.used ?? '?'} of ${q.limit} used${q.remaining !== undefined && q.remaining < plan.newConversationsAtMost ? ` — NOT ENOUGH for ${plan.newConversationsAtMost}: the run will stop when it is used up` : ''}` : q?.used !== undefined ? `; ${q.used} conversations created this month` : '';
	lines.push(`  up to ${plural(plan.newConversationsAtMost, 'new Tiledesk conversation')} (each counts against the monthly conversation quota)${quota}`);
	const o = plan.options;
	const who = o.participants === 'me' ? 'you as the only participant (no routing, no bot replies)' : o.participants === 'agent' ? `agent ${o.agentId} as participant` : 'Tiledesk routing (a department bot may join and reply!)';
	lines.push(`  conversations assigned to ${who}; requester e-mails ${o.requesterEmail === 'keep' ? 'KEPT (Tiledesk may e-mail customers about agent messages)' : 'left out (no offline e-mails to customers)'}`);
	lines.push(`  messages ${o.order === 'strict' ? 'one by one in order (strict)' : `in batches of up to ${o.batchSize} (fast)`}; conversations ${o.close ? 'closed' : 'left open'} after import`);
	return lines;
}

export function totalsLine(totals: RunTotals, stop: StopReason): string {
	const parts = (['imported', 'completed', 'unchanged', 'planned', 'blocked', 'failed', 'cancelled'] as const)
		.filter((s) => totals.byStatus[s] > 0)
		.map((s) => `${totals.byStatus[s]} ${STATUS_LABEL[s].word.toLowerCase()}`);
	const head = stop.kind === 'completed' ? 'Done' : stop.kind === 'cancelled' ? 'Stopped' : 'Stopped by an error';
	return `${head} in ${duration(totals.durationMs)}: ${parts.join(', ') || 'nothing to do'} — ${plural(totals.messagesSent, 'message')} sent, ${plural(totals.apiCalls, 'API call')}, ${plural(totals.retries, 'retry', 'retries')}`;
}
