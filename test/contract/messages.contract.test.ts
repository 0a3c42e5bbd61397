// Message contract (`messages/multi` and the list) and the README's seed flow, run against the sandbox always and
// a real server when configured (test/helpers/targets.ts).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {AnonymousUser} from '../../source/core/tiledesk/api.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {AnonymousResponse, MessagesResponse, RequestResponse} from '../../source/core/tiledesk/contract.js';
import {TiledeskError} from '../../source/core/tiledesk/errors.js';
import {basic, contractTargets, raw, uniqueRequestId, type Connected} from '../helpers/targets.js';

const errorOf = async (p: Promise<unknown>) => {
	const e = await p.then(() => undefined, (error: unknown) => error);
	expect(e).toBeInstanceOf(TiledeskError);
	return e as TiledeskError;
};

describe.each(contractTargets())('message contract: $name', (target) => {
	let server: Connected;
	let owner: TiledeskClient;
	let token: string;
	let ownerId: string;
	let guest: AnonymousUser;
	let pid: string;
	const conversation = async (label: string) => {
		const id = uniqueRequestId(pid, label);
		await owner.createRequest({request_id: id, first_text: 'x', sender: guest.id, senderFullname: 'Vera Visitor', participants: [ownerId]});
		return id;
	};

	beforeAll(async () => {
		server = await target.connect();
		pid = server.credentials.projectId;
		const signed = await TiledeskClient.signIn({baseUrl: server.url, projectId: pid, email: server.credentials.email, password: server.credentials.password});
		owner = signed.client;
		token = signed.token;
		ownerId = signed.user.id;
		guest = await owner.signInAnonymously({firstname: 'Vera', lastname: 'Visitor'});
	});
	afterAll(async () => {
		await owner?.close();
		await server?.close();
	});

	it('multi saves explicit senders (even unknown ones) and names, and returns the saved array in input order', async () => {
		const id = await conversation('order');
		const input = Array.from({length: 30}, (_, i) => ({
			sender: i % 2 === 0 ? guest.id : `import-agent-${i}`,
			senderFullname: i % 2 === 0 ? 'Vera Visitor' : `Agent ${i}`,
			text: `m${i}`,
			status: 200,
			attributes: {seq: i},
		}));
		const saved = await owner.postMessages(id, input);
		expect(saved.map((m) => [m.text, m.sender, m.senderFullname, m.status, m.recipient])).toEqual(input.map((m) => [m.text, m.sender, m.senderFullname, 200, id]));
		// Ties in createdAt come back in any order on the real server: read back by attributes.seq.
		const listed = await owner.listMessages(id);
		expect(listed.map((m) => m.attributes?.['seq']).sort((a, b) => Number(a) - Number(b))).toEqual(input.map((m) => m.attributes.seq));
	});

	it('multi defaults: sender and senderFullname are the CALLER, status 0, type text; an item without text is saved', async () => {
		const id = await conversation('defaults');
		const res = await raw(server.url, 'POST', `/${pid}/requests/${id}/messages/multi`, {authorization: token, body: [{text: 'no sender'}, {sender: guest.id, text: 'sender without name'}, {}]});
		expect(res.status).toBe(200);
		const saved = MessagesResponse.parse(res.json);
		expect(saved.map((m) => [m.text, m.sender, m.senderFullname, m.status, m.type, m.channel?.name])).toEqual([
			['no sender', ownerId, 'Olga Owner', 0, 'text', 'chat21'],
			['sender without name', guest.id, 'Olga Owner', 0, 'text', 'chat21'],
			[undefined, ownerId, 'Olga Owner', 0, 'text', 'chat21'],
		]);
	});

	it('multi with [] answers 200 []; a createdAt in an item is ignored', async () => {
		const id = await conversation('empty');
		expect(await owner.postMessages(id, [])).toEqual([]);
		const res = await raw(server.url, 'POST', `/${pid}/requests/${id}/messages/multi`, {authorization: token, body: [{sender: guest.id, text: 'old', createdAt: '2020-01-01T00:00:00.000Z'}]});
		const [saved] = MessagesResponse.parse(res.json);
		expect(saved?.createdAt?.startsWith('2020')).toBe(false);
	});

	it('multi on an unknown request is 404 "Request doesn\'t exist." and creates nothing', async () => {
		const id = uniqueRequestId(pid, 'missing');
		const res = await raw(server.url, 'POST', `/${pid}/requests/${id}/messages/multi`, {authorization: token, body: [{text: 'x'}]});
		expect([res.status, res.json]).toEqual([404, {success: false, msg: "Request doesn't exist.", err: null}]);
		expect((await errorOf(owner.postMessages(id, [{sender: 's', senderFullname: 'S', text: 'x'}]))).info).toMatchObject({kind: 'not-found', status: 404});
		expect(await owner.getRequest(id)).toBeNull();
	});

	it('GET messages: [] for an unknown request; everything for a known one (limit and page are ignored)', async () => {
		const unknown = await raw(server.url, 'GET', `/${pid}/requests/${uniqueRequestId(pid, 'none')}/messages`, {authorization: token});
		expect([unknown.status, unknown.json]).toEqual([200, []]);
		const id = await conversation('all');
		await owner.postMessages(id, [1, 2, 3].map((i) => ({sender: guest.id, senderFullname: 'Vera Visitor', text: `t${i}`})));
		const paged = await raw(server.url, 'GET', `/${pid}/requests/${id}/messages?limit=1&page=1`, {authorization: token});
		expect(MessagesResponse.parse(paged.json)).toHaveLength(3);
	});

	it('a guest of the project may read and post the messages of its conversation (any member)', async () => {
		const id = await conversation('guest');
		const anonymous = AnonymousResponse.parse((await raw(server.url, 'POST', '/auth/signinAnonymously', {body: {id_project: pid, firstname: 'Gina'}})).json);
		const post = await raw(server.url, 'POST', `/${pid}/requests/${id}/messages/multi`, {authorization: anonymous.token, body: [{text: 'from the guest'}]});
		expect(post.status).toBe(200);
		expect(MessagesResponse.parse(post.json)[0]).toMatchObject({sender: anonymous.user._id, senderFullname: 'Gina ', text: 'from the guest'});
		const list = await raw(server.url, 'GET', `/${pid}/requests/${id}/messages`, {authorization: anonymous.token});
		expect(MessagesResponse.parse(list.json).map((m) => m.text)).toEqual(['from the guest']);
	});

	it('seed flow (README), with plain fetch: signinAnonymously → request with first_text → multi with attributes.clienttimestamp', async () => {
		const {url, credentials: c} = server;
		const owner = basic(c.email, c.password);
		const visitor = AnonymousResponse.parse((await raw(url, 'POST', '/auth/signinAnonymously', {body: {id_project: pid, firstname: 'Vera', lastname: 'Visitor', email: 'vera@example.com'}})).json);
		const id = uniqueRequestId(pid, 'seed');
		const created = await raw(url, 'POST', `/${pid}/requests`, {authorization: owner, body: {first_text: 'Hello, my order is late', request_id: id, sender: visitor.user._id, senderFullname: 'Vera Visitor'}});
		expect(created.status).toBe(200);
		expect(RequestResponse.parse(created.json)).toMatchObject({request_id: id, first_text: 'Hello, my order is late', status: 200});
		const t0 = Date.UTC(2024, 0, 15, 9, 30);
		const lines = [
			{sender: visitor.user._id, senderFullname: 'Vera Visitor', text: 'Hello, my order is late', status: 200, attributes: {clienttimestamp: t0}},
			{sender: 'agent-42', senderFullname: 'Sam Support', text: 'Sorry! Let me check.', status: 200, attributes: {clienttimestamp: t0 + 60_000}},
			{sender: visitor.user._id, senderFullname: 'Vera Visitor', text: 'Thanks', status: 200, attributes: {clienttimestamp: t0 + 60_001}},
		];
		const multi = await raw(url, 'POST', `/${pid}/requests/${id}/messages/multi`, {authorization: owner, body: lines});
		expect(multi.status).toBe(200);
		expect(MessagesResponse.parse(multi.json).map((m) => [m.text, m.senderFullname, m.attributes?.['clienttimestamp']])).toEqual(lines.map((l) => [l.text, l.senderFullname, l.attributes.clienttimestamp]));
		const listed = MessagesResponse.parse((await raw(url, 'GET', `/${pid}/requests/${id}/messages`, {authorization: owner})).json);
		const timeline = listed.sort((a, b) => Number(a.attributes?.['clienttimestamp']) - Number(b.attributes?.['clienttimestamp'])).map((m) => m.text);
		expect(timeline).toEqual(['Hello, my order is late', 'Sorry! Let me check.', 'Thanks']);
	});
});
