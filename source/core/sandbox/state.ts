/**
 * The sandbox's data, shaped like Tiledesk's collections (only the fields the importer uses), and its persisted
 * form: one JSON document validated with zod on load, so a hand-edited or truncated state file is refused with the
 * field that is wrong. Passwords are the sandbox's own throwaway ones; the file is written with mode 0600.
 */
import {randomBytes} from 'node:crypto';
import {z} from 'zod';

export const objectId = () => randomBytes(12).toString('hex');

const Id = z.string().min(1);

export const UserSchema = z.object({_id: Id, email: z.string(), password: z.string(), firstname: z.string(), lastname: z.string()});
export const ProjectSchema = z.object({_id: Id, name: z.string(), status: z.number(), profile: z.object({name: z.string(), type: z.string()}), createdAt: z.string()});
export const DepartmentSchema = z.object({_id: Id, id_project: Id, name: z.string(), default: z.boolean()});
export const ProjectUserSchema = z.object({
	_id: Id,
	id_project: Id,
	id_user: Id.optional(),
	uuid_user: Id.optional(),
	role: z.enum(['owner', 'admin', 'agent', 'guest']),
	status: z.literal('active'),
	fullName: z.string(),
	email: z.string().optional(),
});
export const LeadSchema = z.object({_id: Id, lead_id: Id, fullname: z.string(), email: z.string().optional(), attributes: z.record(z.string(), z.unknown()).optional()});
/** A stored request: the lead embedded; `requester` is the caller's project_user _id (populated on GET). */
export const StoredRequestSchema = z.looseObject({
	_id: Id,
	request_id: Id,
	id_project: Id,
	status: z.number(),
	participants: z.array(z.string()),
	first_text: z.string(),
	lead: LeadSchema,
	requester: Id,
	department: Id,
	createdBy: Id,
	createdAt: z.string(),
	updatedAt: z.string(),
});
export const StoredMessageSchema = z.looseObject({
	_id: Id,
	sender: z.string(),
	senderFullname: z.string(),
	recipient: Id,
	id_project: Id,
	type: z.string(),
	status: z.number(),
	createdBy: z.string(),
	createdAt: z.string(),
	updatedAt: z.string(),
});

export type User = z.infer<typeof UserSchema>;
export type Project = z.infer<typeof ProjectSchema>;
export type Department = z.infer<typeof DepartmentSchema>;
export type ProjectUser = z.infer<typeof ProjectUserSchema>;
export type StoredRequest = z.infer<typeof StoredRequestSchema>;
export type StoredMessage = z.infer<typeof StoredMessageSchema>;

export const STATE_FORMAT = 'tiledesk-import-sandbox-state';

/** The state file. `secret` signs the sandbox's JWTs, so tokens stay valid across restarts. */
export const PersistedStateSchema = z.object({
	format: z.literal(STATE_FORMAT),
	version: z.literal(1),
	secret: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hexadecimal characters'),
	seeded: z.object({ownerId: Id, agentId: Id, projectId: Id}),
	users: z.array(UserSchema),
	projects: z.array(ProjectSchema),
	departments: z.array(DepartmentSchema),
	projectUsers: z.array(ProjectUserSchema),
	requests: z.array(StoredRequestSchema),
	messages: z.array(StoredMessageSchema),
	/** Conversations created per project (the monthly quota counter). */
	requestsCreated: z.record(Id, z.number().int().min(0)),
});
export type PersistedState = z.infer<typeof PersistedStateSchema>;

const key = (projectId: string, id: string) => `${projectId} ${id}`;

function append<T>(index: Map<string, T[]>, k: string, value: T): void {
	const list = index.get(k);
	if (list) list.push(value);
	else index.set(k, [value]);
}

export class SandboxState {
	users: User[] = [];
	projects: Project[] = [];
	departments: Department[] = [];
	/** Read-only outside this class (it keeps indexes over it): add with addMember / addGuest. */
	readonly projectUsers: ProjectUser[] = [];
	/**
	 * By request_id: unique across all projects, like the server's index. Read-only outside this class (it keeps
	 * indexes over it): change it with addRequest / closeRequest / deleteRequest.
	 */
	readonly requests: ReadonlyMap<string, StoredRequest> = new Map<string, StoredRequest>();
	// Indexes over what grows with every imported conversation (a guest, a request), as the server's database has
	// them: a lookup does not scan, so the sandbox answers its 100 000th conversation as fast as its first (the
	// benchmarks import into one sandbox again and again, and a scan per call made each run slower than the last).
	readonly #memberById = new Map<string, ProjectUser>();
	readonly #memberByUser = new Map<string, ProjectUser>();
	readonly #memberByUuid = new Map<string, ProjectUser>();
	/** Per project, its members that are users (not guests), in the order they joined. */
	readonly #userMembers = new Map<string, ProjectUser[]>();
	readonly #requestsPerProject = new Map<string, number>();
	/** Per project and lead_id, the requests with that lead, in the order they were created. */
	readonly #leadRequests = new Map<string, StoredRequest[]>();
	/** Per project and participant, the open requests (status below 1000). */
	readonly #openLoad = new Map<string, number>();
	messages = new Map<string, StoredMessage[]>();
	requestsCreated: Record<string, number> = {};
	secret: Buffer = randomBytes(32);
	seeded = {ownerId: '', agentId: '', projectId: ''};

	/** A fresh state with an owner, an agent (same throwaway password) and a project with its default department. */
	static seed(): SandboxState {
		const state = new SandboxState();
		const password = `sandbox-${randomBytes(6).toString('hex')}`;
		const owner = state.addUser('owner@sandbox.local', password, 'Olga', 'Owner');
		const agent = state.addUser('agent@sandbox.local', password, 'Andy', 'Agent');
		const project = state.addProject('Sandbox project');
		state.addMember(project._id, owner, 'owner');
		state.addMember(project._id, agent, 'agent');
		state.seeded = {ownerId: owner._id, agentId: agent._id, projectId: project._id};
		return state;
	}

	static fromPersisted(data: PersistedState): SandboxState {
		const state = new SandboxState();
		state.secret = Buffer.from(data.secret, 'hex');
		state.seeded = data.seeded;
		state.users = data.users;
		state.projects = data.projects;
		state.departments = data.departments;
		for (const pu of data.projectUsers) state.#addProjectUser(pu);
		for (const r of data.requests) state.addRequest(r);
		for (const m of data.messages) state.messages.set(m.recipient, [...(state.messages.get(m.recipient) ?? []), m]);
		state.requestsCreated = data.requestsCreated;
		return state;
	}

	toPersisted(): PersistedState {
		return {
			format: STATE_FORMAT,
			version: 1,
			secret: this.secret.toString('hex'),
			seeded: this.seeded,
			users: this.users,
			projects: this.projects,
			departments: this.departments,
			projectUsers: this.projectUsers,
			requests: [...this.requests.values()],
			messages: [...this.messages.values()].flat(),
			requestsCreated: this.requestsCreated,
		};
	}

	addUser(email: string, password: string, firstname: string, lastname: string): User {
		const user = {_id: objectId(), email: email.toLowerCase(), password, firstname, lastname};
		this.users.push(user);
		return user;
	}

	addProject(name: string): Project {
		const project: Project = {_id: objectId(), name, status: 100, profile: {name: 'Sandbox', type: 'free'}, createdAt: new Date().toISOString()};
		this.projects.push(project);
		this.departments.push({_id: objectId(), id_project: project._id, name: 'Default Department', default: true});
		return project;
	}

	addMember(projectId: string, user: User, role: ProjectUser['role']): ProjectUser {
		return this.#addProjectUser({_id: objectId(), id_project: projectId, id_user: user._id, role, status: 'active', fullName: `${user.firstname} ${user.lastname}`, email: user.email});
	}

	/** The guest project_user signinAnonymously creates; the uuid doubles as the visitor id. */
	addGuest(projectId: string, uuid: string, fullName: string, email?: string): ProjectUser {
		return this.#addProjectUser({_id: objectId(), id_project: projectId, uuid_user: uuid, role: 'guest', status: 'active', fullName, ...(email ? {email} : {})});
	}

	#addProjectUser(pu: ProjectUser): ProjectUser {
		this.projectUsers.push(pu);
		this.#memberById.set(pu._id, pu);
		// The first one wins, as a scan in insertion order would find it.
		const add = (index: Map<string, ProjectUser>, id: string | undefined) => {
			if (id !== undefined && !index.has(key(pu.id_project, id))) index.set(key(pu.id_project, id), pu);
		};
		add(this.#memberByUser, pu.id_user);
		add(this.#memberByUuid, pu.uuid_user);
		if (pu.id_user !== undefined) append(this.#userMembers, pu.id_project, pu);
		return pu;
	}

	/** The project's member with this user id or guest uuid. */
	member(projectId: string, idOrUuid: string): ProjectUser | undefined {
		// A user id (24 hex digits) and a guest uuid never coincide: at most one of the two is there.
		return this.#memberByUser.get(key(projectId, idOrUuid)) ?? this.#memberByUuid.get(key(projectId, idOrUuid));
	}

	/** The project's member with this user id (`byUserId`) or guest uuid. */
	memberBy(projectId: string, id: string, byUserId: boolean): ProjectUser | undefined {
		return (byUserId ? this.#memberByUser : this.#memberByUuid).get(key(projectId, id));
	}

	projectUser(id: string): ProjectUser | undefined {
		return this.#memberById.get(id);
	}

	/** The project's members that are users (not guests), in the order they joined. */
	userMembers(projectId: string): readonly ProjectUser[] {
		return this.#userMembers.get(projectId) ?? [];
	}

	addRequest(request: StoredRequest): void {
		(this.requests as Map<string, StoredRequest>).set(request.request_id, request);
		const pid = request.id_project;
		this.#requestsPerProject.set(pid, this.requestsIn(pid) + 1);
		append(this.#leadRequests, key(pid, request.lead.lead_id), request);
		if (request.status < 1000) this.#load(request, 1);
	}

	closeRequest(request: StoredRequest, fields: {closed_at: string; closed_by: string; updatedAt: string}): void {
		if (request.status < 1000) this.#load(request, -1);
		Object.assign(request, {status: 1000, ...fields});
	}

	deleteRequest(requestId: string): StoredRequest | undefined {
		const request = this.requests.get(requestId);
		if (!request) return undefined;
		(this.requests as Map<string, StoredRequest>).delete(requestId);
		const pid = request.id_project;
		this.#requestsPerProject.set(pid, this.requestsIn(pid) - 1);
		const lead = key(pid, request.lead.lead_id);
		const rest = (this.#leadRequests.get(lead) ?? []).filter((r) => r !== request);
		if (rest.length > 0) this.#leadRequests.set(lead, rest);
		else this.#leadRequests.delete(lead);
		if (request.status < 1000) this.#load(request, -1);
		return request;
	}

	/** Requests in the project now. */
	requestsIn(projectId: string): number {
		return this.#requestsPerProject.get(projectId) ?? 0;
	}

	/** The lead of the project's first request (still there) with this lead_id. */
	leadOf(projectId: string, leadId: string): StoredRequest['lead'] | undefined {
		return this.#leadRequests.get(key(projectId, leadId))?.[0]?.lead;
	}

	/** The project's open requests (status below 1000) with this participant. */
	openRequestsOf(projectId: string, participant: string): number {
		return this.#openLoad.get(key(projectId, participant)) ?? 0;
	}

	#load(request: StoredRequest, delta: number): void {
		// A participant listed twice counts once, as `participants.includes` would.
		for (const p of new Set(request.participants)) {
			const k = key(request.id_project, p);
			this.#openLoad.set(k, (this.#openLoad.get(k) ?? 0) + delta);
		}
	}

	/** What `GET /__sandbox/state` shows: everything but passwords and the signing secret. */
	snapshot(): unknown {
		return {
			users: this.users.map(({password: _password, ...u}) => u),
			projects: this.projects,
			departments: this.departments,
			projectUsers: this.projectUsers,
			requests: [...this.requests.values()],
			messages: Object.fromEntries(this.messages),
			requestsCreated: this.requestsCreated,
		};
	}
}
