// Conversation (request) contract: create, get, close, delete, quota, and their errors, run against the sandbox
// always and a real server when configured (test/helpers/targets.ts).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {AnonymousUser} from '../../source/core/tiledesk/api.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {RequestResponse} from '../../source/core/tiledesk/contract.js';
import {TiledeskError} from '../../source/core/tiledesk/errors.js';
import {basic, contractTargets, raw, uniqueRequestId, type Connected} from '../helpers/targets.js';

const errorOf = async (p: Promise<unknown>) => {
	const e = await p.then(() => undefined, (error: unknown) => error);
	expect(e).toBeInstanceOf(TiledeskError);
	return e as TiledeskError;
};

describe.each(contractTargets())('conversation contract: $name', (target) => {
	let server: Connected;
	let owner: TiledeskClient;
	let agent: TiledeskClient;
	let token: string;
	let ownerId: string;
	let guest: AnonymousUser;
	let pid: string;
	const rid = (label: string) => uniqueRequestId(pid, label);

	beforeAll(async () => {
		server = await target.connect();
		pid = server.credentials.projectId;
		const c = server.credentials;
		const signed = await TiledeskClient.signIn({baseUrl: server.url, projectId: pid, email: c.email, password: c.password});
		owner = signed.client;
		token = signed.token;
		ownerId = signed.user.id;
		agent = new TiledeskClient({baseUrl: server.url, projectId: pid, auth: {kind: 'basic', email: c.agentEmail, password: c.agentPassword}});
		guest = await owner.signInAnonymously({firstname: 'Vera', lastname: 'Visitor', email: 'vera@example.com'});
	});
	afterAll(async () => {
		await owner?.close();
		await agent?.close();
		await server?.close();
	});

	it('creates a conversation with every accepted field: 200, ids for lead and requester; GET populates them', async () => {
		const id = rid('full');
		const created = await owner.createRequest({
			request_id: id,
			first_text: 'Hi, I need help',
			sender: guest.id,
			senderFullname: 'Vera Visitor',
			email: 'vera@example.com',
			subject: 'Imported chat',
			departmentid: 'default',
			language: 'it',
			channel: {name: 'email'},
			participants: [ownerId],
			attributes: {imported: true, source: 'contract'},
		});
		expect(created).toMatchObject({
			request_id: id,
			status: 200,
			participants: [ownerId],
			first_text: 'Hi, I need help',
			subject: 'Imported chat',
			language: 'it',
			channel: {name: 'email'},
			attributes: {imported: true, source: 'contract'},
			id_project: pid,
		});
		expect(typeof created['lead']).toBe('string');
		expect(typeof created['requester']).toBe('string');
		const read = RequestResponse.parse(await owner.getRequest(id));
		// The visitor is the lead; the requester is always the caller's project_user.
		expect(read.lead).toMatchObject({lead_id: guest.id, fullname: 'Vera Visitor', email: 'vera@example.com'});
		expect(read.requester).toMatchObject({role: 'owner', id_user: {_id: ownerId}});
		expect(read.lead).toMatchObject({_id: created['lead']});
	});

	it('first_text creates no message', async () => {
		const id = rid('first');
		await owner.createRequest({request_id: id, first_text: 'Only the first text', sender: guest.id, participants: [ownerId]});
		expect(await owner.listMessages(id)).toEqual([]);
	});

	it('without participants the default department assigns a project agent (status 200); without sender the caller is the lead', async () => {
		const id = rid('routed');
		const created = await owner.createRequest({request_id: id, first_text: 'route me'});
		expect(created.status).toBe(200);
		expect(created.participants).toHaveLength(1);
		expect([ownerId, server.credentials.agentId]).toContain(created.participants[0]);
		const read = RequestResponse.parse(await owner.getRequest(id));
		expect(read.lead).toMatchObject({lead_id: ownerId, fullname: 'Olga Owner'});
	});

	it('getRequest: the request, or null for an unknown id (404 "Object not found.")', async () => {
		const id = rid('get');
		await owner.createRequest({request_id: id, first_text: 'x', participants: [ownerId]});
		expect(await owner.getRequest(id)).toMatchObject({request_id: id, first_text: 'x'});
		expect(await owner.getRequest(`${id}-missing`)).toBeNull();
		const res = await raw(server.url, 'GET', `/${pid}/requests/${id}-missing`, {authorization: token});
		expect([res.status, res.json]).toEqual([404, {success: false, msg: 'Object not found.'}]);
	});

	it('422 without first_text (express-validator shape, also via the client); a sender outside the project is 403', async () => {
		const res = await raw(server.url, 'POST', `/${pid}/requests`, {authorization: token, body: {request_id: rid('v')}});
		expect([res.status, res.json]).toEqual([422, {errors: [{msg: 'Invalid value', param: 'first_text', location: 'body'}]}]);
		expect((await errorOf(owner.createRequest({request_id: rid('v'), first_text: ''}))).info).toMatchObject({kind: 'validation', status: 422});

		// mongoose 5 treats any 12-character string as an ObjectId, so it is looked up as a user id and not found.
		const twelve = await raw(server.url, 'POST', `/${pid}/requests`, {authorization: token, body: {first_text: 'x', request_id: rid('s'), sender: 'abcdefghijkl'}});
		expect([twelve.status, twelve.json]).toEqual([403, {success: false, msg: 'Unauthorized. Project_user not found with user id  : abcdefghijkl'}]);
		const e = await errorOf(owner.createRequest({request_id: rid('s'), first_text: 'x', sender: 'visitor-never-signed-in'}));
		expect(e.info).toMatchObject({kind: 'forbidden', reason: 'sender-not-found', status: 403});
	});

	it('an unknown departmentid is refused as 500 "Unable to create request" (create-refused)', async () => {
		const res = await raw(server.url, 'POST', `/${pid}/requests`, {authorization: token, body: {first_text: 'x', request_id: rid('dep'), departmentid: 'no-such-department'}});
		expect([res.status, res.json]).toEqual([500, {success: false, message: 'Unable to create request', err: {}}]);
		expect((await errorOf(owner.createRequest({request_id: rid('dep'), first_text: 'x', departmentid: 'no-such-department'}))).kind).toBe('create-refused');
	});

	it('role too low: an agent cannot delete (403 "Unauthorized."), a guest cannot create (403 required role)', async () => {
		const id = rid('role');
		await owner.createRequest({request_id: id, first_text: 'x', participants: [ownerId]});
		const e = await errorOf(agent.deleteRequest(id));
		expect(e.info).toMatchObject({kind: 'forbidden', reason: 'role-too-low', status: 403});
		expect(e.message).toMatch(/owner role/);
		const res = await raw(server.url, 'DELETE', `/${pid}/requests/${id}`, {authorization: basic(server.credentials.agentEmail, server.credentials.agentPassword)});
		expect([res.status, res.json]).toEqual([403, {success: false, msg: 'Unauthorized.'}]);
		expect(await owner.getRequest(id)).not.toBeNull();

		const anonymous = await raw(server.url, 'POST', '/auth/signinAnonymously', {body: {id_project: pid, firstname: 'G'}});
		const guestToken = (anonymous.json as {token: string}).token;
		const create = await raw(server.url, 'POST', `/${pid}/requests`, {authorization: guestToken, body: {first_text: 'x', request_id: rid('g')}});
		expect([create.status, create.json]).toEqual([403, {success: false, msg: 'you dont have the required role.'}]);
		const asGuest = new TiledeskClient({baseUrl: server.url, projectId: pid, auth: {kind: 'jwt', token: guestToken}});
		expect((await errorOf(asGuest.createRequest({request_id: rid('g'), first_text: 'x'}))).info).toMatchObject({kind: 'forbidden', reason: 'role-too-low'});
		await asGuest.close();
	});

	it('closing: an agent outside the participants gets 403, an unknown id 404 for an agent and 500 for the owner', async () => {
		const id = rid('close-perm');
		await owner.createRequest({request_id: id, first_text: 'x', participants: [ownerId]});
		const notParticipant = await raw(server.url, 'PUT', `/${pid}/requests/${id}/close`, {authorization: basic(server.credentials.agentEmail, server.credentials.agentPassword), body: {}});
		expect([notParticipant.status, notParticipant.json]).toEqual([403, {success: false, error: 'You must be among the participants to close a conversation.'}]);
		expect((await errorOf(agent.closeRequest(id))).info).toMatchObject({kind: 'forbidden', reason: 'not-participant'});
		expect((await errorOf(agent.closeRequest(`${id}-missing`))).info).toMatchObject({kind: 'not-found', status: 404});
		const ownerMissing = await raw(server.url, 'PUT', `/${pid}/requests/${id}-missing/close`, {authorization: token, body: {}});
		expect([ownerMissing.status, ownerMissing.json]).toEqual([500, {success: false, error: 'Error closing request'}]);
		expect((await owner.getRequest(id))?.status).toBe(200);
	});

	it('close → status 1000; delete → gone with its messages; deleting again is 404', async () => {
		const id = rid('lifecycle');
		await owner.createRequest({request_id: id, first_text: 'x', participants: [ownerId]});
		await owner.postMessages(id, [{sender: guest.id, senderFullname: 'Vera Visitor', text: 'bye'}]);
		await owner.closeRequest(id);
		expect(await owner.getRequest(id)).toMatchObject({status: 1000, closed_by: ownerId});
		await owner.deleteRequest(id);
		expect(await owner.getRequest(id)).toBeNull();
		expect(await owner.listMessages(id)).toEqual([]);
		const again = await raw(server.url, 'DELETE', `/${pid}/requests/${id}`, {authorization: token});
		expect([again.status, again.json]).toEqual([404, {success: false, msg: 'Object not found.'}]);
		expect((await errorOf(owner.deleteRequest(id))).kind).toBe('not-found');
	});

	it('quota: conversations created this month are counted, and more are available', async () => {
		const before = await owner.getQuota();
		expect(before).toEqual({requestsUsed: expect.any(Number), requestsAvailable: true});
		await owner.createRequest({request_id: rid('quota'), first_text: 'x', participants: [ownerId]});
		// The real server counts in Redis after the save: poll briefly. Other files may create conversations too.
		let after = await owner.getQuota();
		for (let i = 0; i < 20 && after.requestsUsed! <= before.requestsUsed!; i++) {
			await new Promise((r) => setTimeout(r, 100));
			after = await owner.getQuota();
		}
		expect(after.requestsUsed).toBeGreaterThan(before.requestsUsed!);
		const available = await raw(server.url, 'GET', `/${pid}/quotes/requests`, {authorization: token});
		expect([available.status, available.json]).toEqual([200, {isAvailable: true}]);
	});

	it('body parsing comes first: malformed JSON is 500 {"err":"error"}, a body over 500 KB is 413', async () => {
		const malformed = await raw(server.url, 'POST', `/${pid}/requests`, {authorization: token, raw: '{"first_text": '});
		expect([malformed.status, malformed.json]).toEqual([500, {err: 'error'}]);
		const id = rid('big');
		await owner.createRequest({request_id: id, first_text: 'x', participants: [ownerId]});
		const big = [{sender: guest.id, senderFullname: 'Vera Visitor', text: 'x'.repeat(520_000)}];
		const tooLarge = await raw(server.url, 'POST', `/${pid}/requests/${id}/messages/multi`, {authorization: token, body: big});
		expect([tooLarge.status, tooLarge.json]).toEqual([413, {err: 'Request entity too large', limit: 512000}]);
		expect((await errorOf(owner.postMessages(id, big))).info).toMatchObject({kind: 'body-too-large', status: 413});
		expect(await owner.listMessages(id)).toEqual([]);
	});
});
