/**
 * Who is the business in a WhatsApp chat. The file never says which account exported it, so the roles come from
 * `options.agents` / `options.bots` when given; otherwise a guess is made and reported:
 * - two participants: the one who did NOT write the first message is the agent (customers open support chats);
 * - one participant: an end-user, nobody is guessed as agent;
 * - three or more (a group): everyone is an end-user until named with `--agents`.
 */
import type {Finding} from '../../model/findings.js';
import type {Role} from '../../model/transcript.js';
import {cleanName} from './whatsapp-line.js';

export interface Participant {
	name: string;
	messages: number;
	/** 1-based line of the first message. */
	firstLine: number;
}

export interface RoleAssignment {
	roleOf(name: string): Role;
	/** The participant guessed as agent when no `agents` option was given. */
	guessedAgent?: string;
	findings: Omit<Finding, 'conversationId'>[];
}

const key = (name: string): string => cleanName(name).toLowerCase();

export function assignRoles(participants: Participant[], agents: string[] | undefined, bots: string[] | undefined, label: string): RoleAssignment {
	const agentKeys = new Set((agents ?? []).map(key));
	const botKeys = new Set((bots ?? []).map(key));
	const findings: RoleAssignment['findings'] = [];
	const names = participants.map((p) => p.name);
	const known = new Set(names.map(key));
	for (const wanted of [...(agents ?? []), ...(bots ?? [])]) {
		if (!known.has(key(wanted))) {
			findings.push({
				severity: 'warning',
				code: 'role-assumed',
				message: `"${wanted}" (from --agents/--bots) is not a participant of ${label}; participants: ${names.map((n) => `"${n}"`).join(', ')}.`,
			});
		}
	}
	let guessedAgent: string | undefined;
	if (agentKeys.size === 0) {
		const humans = participants.filter((p) => !botKeys.has(key(p.name)));
		if (humans.length === 2) {
			guessedAgent = humans[1]!.name;
			findings.push({
				severity: 'info',
				code: 'role-assumed',
				message: `Assumed "${guessedAgent}" is the business (agent) and "${humans[0]!.name}" the customer, because the customer usually writes first; if wrong, use --agents "${humans[0]!.name}".`,
			});
		} else if (humans.length > 2) {
			findings.push({
				severity: 'info',
				code: 'role-assumed',
				message: `Group chat with ${humans.length} participants: all are imported as end-users; name the business side with --agents (participants: ${humans.map((p) => `"${p.name}"`).join(', ')}).`,
			});
		} else if (humans.length === 1) {
			findings.push({
				severity: 'info',
				code: 'role-assumed',
				message: `Only "${humans[0]!.name}" writes in ${label}: imported as the end-user; name them with --agents if they are the business.`,
			});
		}
	}
	const guessedKey = guessedAgent === undefined ? undefined : key(guessedAgent);
	return {
		roleOf(name) {
			const k = key(name);
			if (botKeys.has(k)) return 'bot';
			if (agentKeys.has(k) || k === guessedKey) return 'agent';
			return 'end-user';
		},
		...(guessedAgent === undefined ? {} : {guessedAgent}),
		findings,
	};
}
