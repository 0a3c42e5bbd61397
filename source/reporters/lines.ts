/** The human line reporter for non-interactive runs: one line per finished conversation, retries, a summary. */
import type {ImportEvent} from '../core/import/events.js';
import {dashboardLink} from '../core/import/options.js';
import {duration, planLines, STATUS_LABEL, totalsLine} from './format.js';

export interface LineReporterOptions {
	write(line: string): void;
	dashboardUrl: string;
	projectId: string;
	/** Print every retry (default: yes). */
	verbose?: boolean;
}

export function lineReporter(options: LineReporterOptions): (event: ImportEvent) => void {
	const out = (line: string) => options.write(`${line}\n`);
	const links: string[] = [];
	let dryRun = false;
	return (event) => {
		switch (event.type) {
			case 'run-planned':
				for (const line of planLines(event.plan, event.plan.options.dryRun)) out(line);
				break;
			case 'run-started':
				dryRun = event.dryRun;
				out(`Run ${event.runId} started${event.resumed ? ` (resuming: ${event.resumed} already done)` : ''}`);
				break;
			case 'conversation-finished': {
				const r = event.result;
				const label = STATUS_LABEL[r.status].word.padEnd(9);
				let detail: string;
				if (r.status === 'planned') detail = r.exists ? `exists, ${r.alreadyPresent} of ${r.messages} messages present` : `would be created with ${r.messages} messages`;
				else if (r.error) detail = r.error.message;
				else if (r.status === 'completed') detail = `${r.sent} missing of ${r.messages} messages sent`;
				else detail = `${r.messages} messages${r.status === 'imported' ? '' : ' already there'}`;
				out(`  ${label} ${r.sourceId}  ${detail}${r.durationMs >= 1 ? `  (${duration(r.durationMs)})` : ''}`);
				if ((r.status === 'imported' || r.status === 'completed') && links.length < 3) links.push(dashboardLink(options.dashboardUrl, options.projectId, r.requestId));
				break;
			}
			case 'retry':
				if (options.verbose !== false) out(`  retry     ${event.sourceId ?? ''}  ${event.operation} attempt ${event.attempt + 1} in ${duration(event.delayMs)}: ${event.reason}`);
				break;
			case 'rate-limited':
				out(`  rate limited by the server: holding calls for ${duration(event.delayMs)}, ${event.concurrency} conversation(s) in flight`);
				break;
			case 'paused':
				out('Paused.');
				break;
			case 'resumed':
				out('Resumed.');
				break;
			case 'cancelling':
				out(`Stopping: ${event.reason}. In-flight conversations stop at their next step; a re-run resumes.`);
				break;
			case 'warning':
				out(`warning: ${event.message}`);
				break;
			case 'run-finished':
				out(totalsLine(event.totals, event.stop));
				if (event.stop.kind === 'fatal') out(`error: ${event.stop.error.message}`);
				if (!dryRun && links.length > 0) out(`Open in Tiledesk: ${links.join('\n                  ')}`);
				if (event.reports.length > 0) out(`Report: ${event.reports.join('\n        ')}`);
				break;
			default:
				break;
		}
	};
}
