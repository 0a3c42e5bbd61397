/** What the user can choose about an import (flags, the wizard's options screen). Validated with zod. */
import {z} from 'zod';

export const DEFAULT_DASHBOARD_URL = 'https://panel.tiledesk.com/v3/dashboard';

export const ImportOptionsSchema = z.object({
	/**
	 * Who is added as participant of each new conversation:
	 * - `me` (default): the importing user, so Tiledesk routes nothing (no bot joins and answers imported lines);
	 * - `agent`: the agent id in `agentId`;
	 * - `routing`: let Tiledesk route (a department bot may be added and may reply to imported messages).
	 */
	participants: z.enum(['me', 'agent', 'routing']).default('me'),
	agentId: z.string().regex(/^[0-9a-f]{24}$/i, 'an agent id is 24 hexadecimal characters').optional(),
	/**
	 * The requester's e-mail on the Tiledesk lead. `drop` (default): Tiledesk e-mails a lead that has an address
	 * about agent messages it "missed" (offline e-mails), so importing history could e-mail real customers.
	 */
	requesterEmail: z.enum(['keep', 'drop']).default('drop'),
	/** Close each conversation after its messages are in (archived in Tiledesk, status 1000). */
	close: z.boolean().default(false),
	/**
	 * `fast`: messages in batches (`messages/multi`), ordered by `attributes.clienttimestamp`;
	 * `strict`: one message per call, in sequence, so Tiledesk's own stored order equals the transcript's.
	 */
	order: z.enum(['fast', 'strict']).default('fast'),
	/** Tiledesk message status: `history` = 200 (stored, not pushed live); `live` = 0 (pushed to chat21 with the original time). */
	messageStatus: z.enum(['history', 'live']).default('history'),
	departmentId: z.string().optional(),
	channel: z.string().optional(),
	/**
	 * Conversations in flight at once. Unset: chosen from the connection's round trip (autoConcurrency): 8 on a
	 * near server, where its CPU is the limit, more on a far one, where the calls mostly wait on the network.
	 */
	concurrency: z.number().int().min(1).max(64).optional(),
	/** Cap on API calls per minute (0 = none). */
	maxRequestsPerMinute: z.number().int().min(0).default(0),
	/** Messages per `multi` call (each call also stays under the server's 500 KB body limit). */
	batchSize: z.number().int().min(1).max(1000).default(100),
	/** Only the first N importable conversations (a demo import). */
	limit: z.number().int().min(1).optional(),
	/** Only these source conversation ids. */
	only: z.array(z.string()).optional(),
	/** No writes: check connection, role, what exists, quota; print the plan. */
	dryRun: z.boolean().default(false),
	/** Source identity in request ids (default: the format id); two systems whose ids overlap need different names. */
	source: z.string().min(1).optional(),
	dashboardUrl: z.string().default(DEFAULT_DASHBOARD_URL),
	/** Re-read conversations the journal already lists as done (default: trust the journal, no calls for them). */
	recheck: z.boolean().default(false),
});
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;
export type ImportOptionsInput = z.input<typeof ImportOptionsSchema>;

export function importOptions(input: ImportOptionsInput = {}): ImportOptions {
	const options = ImportOptionsSchema.parse(input);
	if (options.participants === 'agent' && !options.agentId) throw new Error('participants "agent" needs an agent id (--agent-id)');
	return options;
}

/**
 * In-flight conversations for a round trip of `roundTripMs` when the user chose none: about one per 2 ms of
 * round trip (a new conversation is 4 sequential round trips, its requester asked for during the first), at
 * least 8, at most 48. Measured on the real local server (2 cores): 8 in flight import 5 % faster than 4, more
 * gain nothing there (its CPU is the limit). A server that pushes back (429) halves it at once (the pacer's
 * multiplicative decrease).
 */
export function autoConcurrency(roundTripMs: number | undefined): number {
	return Math.max(8, Math.min(48, Math.round((roundTripMs ?? 0) / 2)));
}

export function dashboardLink(dashboardUrl: string, projectId: string, requestId: string): string {
	return `${dashboardUrl.replace(/\/+$/, '')}/#/project/${projectId}/wsrequest/${requestId}/messages`;
}
