/** The sandbox's in-memory data, shaped like Tiledesk's collections (only the fields the importer uses). */
import {randomBytes, randomUUID} from 'node:crypto';

export const objectId = () => randomBytes(12).toString('hex');

export interface User {
	_id: string;
	email: string;
	password: string;
	firstname: string;
	lastname: string;
}
export interface ProjectUser {
	_id: string;
	id_project: string;
	id_user?: string;
	uuid_user?: string;
	role: 'owner' | 'admin' | 'agent' | 'guest';
	fullName: string;
	email?: string;
}
export interface StoredRequest extends Record<string, unknown> {
	_id: string;
	request_id: string;
	id_project: string;
	status: number;
	participants: string[];
	lead: {lead_id: string; fullname: string; email?: string};
}
export interface StoredMessage extends Record<string, unknown> {
	_id: string;
	recipient: string;
	sender: string;
}

export class SandboxState {
	users: User[] = [];
	projects: {_id: string; name: string; profile: {name: string; type: string}}[] = [];
	projectUsers: ProjectUser[] = [];
	requests = new Map<string, StoredRequest>();
	messages = new Map<string, StoredMessage[]>();
	requestsCreated = 0;

	addUser(email: string, password: string, firstname: string, lastname: string): User {
		const user = {_id: objectId(), email: email.toLowerCase(), password, firstname, lastname};
		this.users.push(user);
		return user;
	}

	addMember(projectId: string, user: User, role: ProjectUser['role']): ProjectUser {
		const pu = {_id: objectId(), id_project: projectId, id_user: user._id, role, fullName: `${user.firstname} ${user.lastname}`, email: user.email};
		this.projectUsers.push(pu);
		return pu;
	}

	addGuest(projectId: string, fullName: string, email?: string): ProjectUser {
		const pu: ProjectUser = {_id: objectId(), id_project: projectId, uuid_user: randomUUID(), role: 'guest', fullName, ...(email ? {email} : {})};
		this.projectUsers.push(pu);
		return pu;
	}

	member(projectId: string, idOrUuid: string): ProjectUser | undefined {
		return this.projectUsers.find((pu) => pu.id_project === projectId && (pu.id_user === idOrUuid || pu.uuid_user === idOrUuid));
	}

	snapshot(): unknown {
		return {
			users: this.users.map(({password: _password, ...u}) => u),
			projects: this.projects,
			projectUsers: this.projectUsers,
			requests: [...this.requests.values()],
			messages: Object.fromEntries(this.messages),
			requestsCreated: this.requestsCreated,
		};
	}
}
