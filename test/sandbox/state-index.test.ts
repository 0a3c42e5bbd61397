// The sandbox state's indexes (members, leads, requests per project, open requests per agent) answer exactly what
// a scan of the collections would, through any sequence of guests, requests, closes and deletes, and after a
// round trip through the persisted form.
import {describe, expect, it} from 'vitest';
import {objectId, SandboxState, type StoredRequest} from '../../source/core/sandbox/state.js';

/** What the indexes must agree with: the scans the routes used to do. */
const scan = {
	member: (s: SandboxState, pid: string, id: string) => s.projectUsers.find((pu) => pu.id_project === pid && (pu.id_user === id || pu.uuid_user === id)),
	memberBy: (s: SandboxState, pid: string, id: string, byUserId: boolean) => s.projectUsers.find((pu) => pu.id_project === pid && (byUserId ? pu.id_user === id : pu.uuid_user === id)),
	userMembers: (s: SandboxState, pid: string) => s.projectUsers.filter((pu) => pu.id_project === pid && pu.id_user !== undefined),
	requestsIn: (s: SandboxState, pid: string) => [...s.requests.values()].filter((r) => r.id_project === pid).length,
	leadOf: (s: SandboxState, pid: string, leadId: string) => [...s.requests.values()].find((r) => r.id_project === pid && r.lead.lead_id === leadId)?.lead,
	open: (s: SandboxState, pid: string, p: string) => [...s.requests.values()].filter((r) => r.id_project === pid && r.status < 1000 && r.participants.includes(p)).length,
};

function rng(seed: number) {
	let x = seed;
	return (k: number) => {
		x = (x + 0x6d_2b_79_f5) | 0;
		let r = Math.imul(x ^ (x >>> 15), 1 | x);
		r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
		return ((r ^ (r >>> 14)) >>> 0) % k;
	};
}

function request(pid: string, leadId: string, participants: string[]): StoredRequest {
	const at = new Date(0).toISOString();
	return {_id: objectId(), request_id: `support-group-${pid}-${objectId()}`, id_project: pid, status: participants.length ? 200 : 100, participants, first_text: 'hi', lead: {_id: objectId(), lead_id: leadId, fullname: leadId}, requester: objectId(), department: objectId(), createdBy: leadId, createdAt: at, updatedAt: at};
}

describe('sandbox state indexes', () => {
	it('agree with a scan through 600 random operations on two projects, and after a persisted round trip', () => {
		for (const seed of [1, 2, 3]) {
			const rand = rng(seed);
			const state = SandboxState.seed();
			const other = state.addProject('Other project');
			const pids = [state.seeded.projectId, other._id];
			const agents = [state.seeded.ownerId, state.seeded.agentId];
			state.addMember(other._id, state.users[1]!, 'agent');
			const leads = Array.from({length: 12}, (_, i) => `visitor-${i}`);
			const check = (s: SandboxState) => {
				for (const pid of pids) {
					expect(s.requestsIn(pid)).toBe(scan.requestsIn(s, pid));
					expect(s.userMembers(pid)).toEqual(scan.userMembers(s, pid));
					for (const id of [...leads, ...agents]) {
						expect(s.member(pid, id)).toBe(scan.member(s, pid, id));
						expect(s.memberBy(pid, id, true)).toBe(scan.memberBy(s, pid, id, true));
						expect(s.memberBy(pid, id, false)).toBe(scan.memberBy(s, pid, id, false));
						expect(s.leadOf(pid, id)).toEqual(scan.leadOf(s, pid, id));
						expect(s.openRequestsOf(pid, id)).toBe(scan.open(s, pid, id));
					}
				}
				for (const pu of s.projectUsers) expect(s.projectUser(pu._id)).toBe(pu);
			};
			for (let i = 0; i < 600; i++) {
				const pid = pids[rand(2)]!;
				const all = [...state.requests.values()];
				const op = rand(10);
				if (op < 2) state.addGuest(pid, leads[rand(leads.length)]!, 'Guest');
				else if (op < 6 || all.length === 0) {
					const participants = [[], [agents[0]!], [agents[1]!], [agents[1]!, agents[1]!], agents][rand(5)]!;
					state.addRequest(request(pid, leads[rand(leads.length)]!, participants));
				} else if (op < 8) state.closeRequest(all[rand(all.length)]!, {closed_at: 'x', closed_by: 'y', updatedAt: 'z'});
				else state.deleteRequest(all[rand(all.length)]!.request_id);
				if (i % 50 === 0) check(state);
			}
			check(state);
			const loaded = SandboxState.fromPersisted(structuredClone(state.toPersisted()));
			for (const pid of pids) for (const id of [...leads, ...agents]) expect(loaded.openRequestsOf(pid, id)).toBe(state.openRequestsOf(pid, id));
			check(loaded);
		}
	});
});
