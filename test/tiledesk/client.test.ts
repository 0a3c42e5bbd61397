// Client behaviour over a mocked HTTP layer: request shapes, error classification, and that no secret ever
// appears in an error. The same calls are checked against a real server in test/contract/.
import {MockAgent} from 'undici';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {TiledeskError} from '../../source/core/tiledesk/errors.js';

const BASE = 'https://api.example.test';
const PID = '6b062dde0fe55021d73267f8';
const TOKEN = 'JWT eyJhbGciOiJIUzI1NiJ9.secret-payload.signature';
const PASSWORD = 'hunter2-very-secret';
let agent: MockAgent;
let client: TiledeskClient;

beforeEach(() => {
	agent = new MockAgent();
	agent.disableNetConnect();
	client = new TiledeskClient({baseUrl: `${BASE}/v3/`, projectId: PID, auth: {kind: 'jwt', token: TOKEN}, dispatcher: agent});
});
afterEach(async () => {
	await agent.close();
});

const pool = () => agent.get(BASE);
async function errorOf(promise: Promise<unknown>): Promise<TiledeskError> {
	const error = await promise.then(() => undefined, (e: unknown) => e);
	expect(error).toBeInstanceOf(TiledeskError);
	const e = error as TiledeskError;
	for (const secret of [TOKEN, 'secret-payload', PASSWORD]) expect(`${e.message} ${JSON.stringify(e.info)} ${e.stack}`).not.toContain(secret);
	return e;
}

describe('TiledeskClient', () => {
	it('sends the JWT verbatim and posts messages as an array', async () => {
		let seen: {auth?: string; body?: string} = {};
		pool()
			.intercept({path: `/v3/${PID}/requests/support-group-x/messages/multi`, method: 'POST'})
			.reply((opts) => {
				seen = {auth: (opts.headers as Record<string, string>)['authorization'], body: String(opts.body)};
				return {statusCode: 200, data: [{_id: 'm1', sender: 's', recipient: 'support-group-x', text: 'hi'}], responseOptions: {headers: {'content-type': 'application/json'}}};
			});
		const saved = await client.postMessages('support-group-x', [{sender: 's', senderFullname: 'S', text: 'hi'}]);
		expect(saved).toEqual([expect.objectContaining({_id: 'm1', text: 'hi'})]);
		expect(seen.auth).toBe(TOKEN);
		expect(JSON.parse(seen.body!)).toEqual([{sender: 's', senderFullname: 'S', text: 'hi'}]);
	});

	it('returns null for an unknown request and classifies server answers', async () => {
		pool().intercept({path: `/v3/${PID}/requests/nope`, method: 'GET'}).reply(404, {success: false, msg: 'Object not found.'});
		expect(await client.getRequest('nope')).toBeNull();

		pool().intercept({path: `/v3/${PID}/requests`, method: 'POST'}).reply(500, {success: false, message: 'Unable to create request', err: {}});
		expect((await errorOf(client.createRequest({request_id: 'r', first_text: 'x'}))).kind).toBe('create-refused');

		pool().intercept({path: `/v3/${PID}/requests`, method: 'POST'}).reply(403, {success: false, msg: 'you dont have the required role.'});
		expect((await errorOf(client.createRequest({request_id: 'r', first_text: 'x'}))).info).toMatchObject({kind: 'forbidden', reason: 'role-too-low'});

		pool().intercept({path: `/v3/${PID}/requests/r`, method: 'DELETE'}).reply(403, {success: false, msg: 'Unauthorized.'});
		expect((await errorOf(client.deleteRequest('r'))).message).toMatch(/owner role/);

		pool().intercept({path: `/v3/${PID}/requests/r/messages`, method: 'GET'}).reply(429, 'slow down', {headers: {'retry-after': '7'}});
		expect((await errorOf(client.listMessages('r'))).info).toMatchObject({kind: 'rate-limited', retryable: true, retryAfterMs: 7000});

		pool().intercept({path: `/v3/${PID}/requests/r/messages/multi`, method: 'POST'}).reply(413, {err: 'Request entity too large', limit: 512000});
		expect((await errorOf(client.postMessages('r', []))).kind).toBe('body-too-large');
	});

	it('handles the plain-text 401 and 400 bodies of passport', async () => {
		pool().intercept({path: `/v3/projects/${PID}`, method: 'GET'}).reply(401, 'Unauthorized', {headers: {'content-type': 'text/plain'}});
		expect((await errorOf(client.testConnection())).kind).toBe('bad-credentials');
		pool().intercept({path: `/v3/projects/${PID}`, method: 'GET'}).reply(400, 'Bad Request', {headers: {'content-type': 'text/plain'}});
		expect((await errorOf(client.testConnection())).message).toMatch(/JWT/);
	});

	it('rejects a malformed project id before calling the server', async () => {
		const bad = new TiledeskClient({baseUrl: BASE, projectId: 'my-project', auth: {kind: 'basic', email: 'a@b.c', password: PASSWORD}, dispatcher: agent});
		expect((await errorOf(bad.testConnection())).info).toMatchObject({kind: 'project-not-found', message: expect.stringContaining('24 hexadecimal')});
	});

	it('never leaks the password of a failed sign-in or a Basic header', async () => {
		pool().intercept({path: '/v3/auth/signin', method: 'POST'}).reply(401, {success: false, msg: 'Authentication failed. Wrong password.'});
		const e = await errorOf(TiledeskClient.signIn({baseUrl: `${BASE}/v3`, projectId: PID, email: 'olga@example.com', password: PASSWORD, dispatcher: agent}));
		expect(e.message).toContain('Wrong password');
		const basic = new TiledeskClient({baseUrl: BASE, projectId: PID, auth: {kind: 'basic', email: 'olga@example.com', password: PASSWORD}, dispatcher: agent});
		pool().intercept({path: `/projects/${PID}`, method: 'GET'}).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'}));
		expect((await errorOf(basic.testConnection())).info).toMatchObject({kind: 'network', retryable: true});
	});
});
