import type {Role} from '../model/transcript.js';

const ALIASES: Record<string, Role> = {};
function alias(role: Role, names: string[]): void {
	for (const n of names) ALIASES[n] = role;
}
alias('end-user', ['end-user', 'enduser', 'end_user', 'user', 'visitor', 'customer', 'client', 'contact', 'lead', 'requester', 'inbound', 'incoming', 'true']);
alias('agent', ['agent', 'operator', 'admin', 'staff', 'support', 'assignee', 'outbound', 'outgoing', 'false', 'human-agent', 'human_agent']);
alias('bot', ['bot', 'automation', 'assistant', 'chatbot', 'virtual-agent', 'virtual_agent']);
alias('system', ['system', 'event', 'notice', 'info']);

export const ACCEPTED_ROLE_VALUES = Object.keys(ALIASES);

/** Maps a raw role value (case-insensitive) to a Role, or undefined when unknown. */
export function mapRole(raw: string): Role | undefined {
	// A file uses a handful of raw values, each millions of times: remember them as written.
	let role = SEEN.get(raw);
	if (role === undefined && !SEEN.has(raw)) {
		role = Object.hasOwn(ALIASES, raw.trim().toLowerCase()) ? ALIASES[raw.trim().toLowerCase()] : undefined;
		if (SEEN.size < 1024) SEEN.set(raw, role);
	}
	return role;
}

const SEEN = new Map<string, Role | undefined>();
