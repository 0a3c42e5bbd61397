// The client's contract, run against the sandbox always and against a real server when configured (see
// test/helpers/targets.ts). Every scenario holds on both: that is what makes the sandbox a faithful rehearsal.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {TiledeskError} from '../../source/core/tiledesk/errors.js';
import {contractTargets} from '../helpers/targets.js';

describe.each(contractTargets())('TiledeskClient contract: $name', (target) => {
	let client: TiledeskClient;
	let ownerId: string;
	let baseUrl: string;
	let projectId: string;
	let env: Record<string, string>;
	let close: () => Promise<void>;
	let requestId: string;

	beforeAll(async () => {
		const server = await target.connect();
		close = server.close;
		baseUrl = server.url;
		projectId = server.credentials.projectId;
		env = {
			TILEDESK_EMAIL: server.credentials.email,
			TILEDESK_PASSWORD: server.credentials.password,
			TILEDESK_AGENT_EMAIL: server.credentials.agentEmail,
			TILEDESK_AGENT_PASSWORD: server.credentials.agentPassword,
		};
		requestId = `support-group-${projectId}-client${Date.now().toString(16)}`;
		const signed = await TiledeskClient.signIn({baseUrl, projectId, email: env['TILEDESK_EMAIL']!, password: env['TILEDESK_PASSWORD']!});
		client = signed.client;
		ownerId = signed.user.id;
		expect(signed.token).toMatch(/^JWT /);
	});
	afterAll(async () => {
		await client?.close();
		await close?.();
	});

	it('tests the connection: project name and the owner role', async () => {
		const info = await client.testConnection();
		expect(info.project).toMatchObject({id: projectId, name: expect.stringMatching(/^(Local|Sandbox) project/)});
		expect(info.role).toBe('owner');
		expect(info.user.id).toBe(ownerId);
	});

	it('creates a conversation for an anonymous requester and keeps explicit senders, in order', async () => {
		const guest = await client.signInAnonymously({firstname: 'Vera', lastname: 'Visitor', attributes: {src: 'import'}});
		expect(guest).toMatchObject({id: expect.any(String), fullName: 'Vera Visitor'});
		expect(await client.getRequest(requestId)).toBeNull();
		const created = await client.createRequest({request_id: requestId, first_text: 'Hi', sender: guest.id, senderFullname: 'Vera Visitor', participants: [ownerId], subject: 'client test'});
		expect(created).toMatchObject({request_id: requestId, status: 200, participants: [ownerId]});
		expect(await client.listMessages(requestId)).toEqual([]); // first_text creates no message
		const saved = await client.postMessages(requestId, [
			{sender: guest.id, senderFullname: 'Vera Visitor', text: 'm1', status: 200, attributes: {seq: 0}},
			{sender: 'import-agent-1', senderFullname: 'Andy Agent', text: 'm2', status: 200, attributes: {seq: 1}},
		]);
		expect(saved.map((m) => [m.text, m.sender, m.senderFullname])).toEqual([
			['m1', guest.id, 'Vera Visitor'],
			['m2', 'import-agent-1', 'Andy Agent'],
		]);
		const listed = await client.listMessages(requestId);
		expect(listed.map((m) => m.attributes?.['seq']).sort()).toEqual([0, 1]);
	});

	it('classifies the real server errors', async () => {
		const err = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as TiledeskError;
		expect((await err(client.postMessages(`${requestId}-missing`, [{sender: 'x', senderFullname: 'X', text: 'x'}]))).kind).toBe('not-found');
		expect((await err(client.createRequest({request_id: `${requestId}-v`, first_text: ''}))).kind).toBe('validation');
		expect((await err(TiledeskClient.signIn({baseUrl, projectId, email: env['TILEDESK_EMAIL']!, password: 'wrong-password'}))).kind).toBe('bad-credentials');
		if (env['TILEDESK_AGENT_EMAIL']) {
			const agent = await TiledeskClient.signIn({baseUrl, projectId, email: env['TILEDESK_AGENT_EMAIL'], password: env['TILEDESK_AGENT_PASSWORD']!});
			expect((await err(agent.client.deleteRequest(requestId))).info).toMatchObject({kind: 'forbidden', reason: 'role-too-low'});
			await agent.client.close();
		}
	});

	it('closes and deletes the conversation', async () => {
		await client.closeRequest(requestId);
		expect((await client.getRequest(requestId))?.status).toBe(1000);
		await client.deleteRequest(requestId);
		expect(await client.getRequest(requestId)).toBeNull();
	});
});
