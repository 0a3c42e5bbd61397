// Client behaviour over a mocked HTTP layer (request shapes, error classification, no secret in any error) and over
// the in-process sandbox (timeouts, aborts, one keep-alive pool). The wire contract itself is checked against the
// sandbox and a real server in test/contract/.
import {MockAgent} from 'undici';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../../source/core/sandbox/server.js';
import {normalizeBaseUrl, TiledeskClient} from '../../source/core/tiledesk/client.js';
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

	it('reads responses leniently: extra fields kept, null optional fields read as undefined, missing required ones refused', async () => {
		pool()
			.intercept({path: `/v3/${PID}/requests/old`, method: 'GET'})
			.reply(200, {_id: 'a', request_id: 'old', status: 1000, participants: [], subject: null, lead: null, attributes: null, ticket_id: 7});
		const old = await client.getRequest('old');
		expect(old).toMatchObject({request_id: 'old', status: 1000, ticket_id: 7});
		expect([old?.subject, old?.lead, old?.attributes]).toEqual([undefined, undefined, undefined]);
		pool().intercept({path: `/v3/${PID}/requests/broken`, method: 'GET'}).reply(200, {_id: 'a', request_id: 'broken'});
		expect((await errorOf(client.getRequest('broken'))).info).toMatchObject({kind: 'server', message: expect.stringContaining('status')});
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

describe('TiledeskClient input and URL checks', () => {
	it('refuses plain http:// to a non-loopback host unless allowInsecureHttp, naming the flag', async () => {
		const make = (baseUrl: string, allowInsecureHttp?: boolean) => () =>
			new TiledeskClient({baseUrl, projectId: PID, auth: {kind: 'jwt', token: TOKEN}, dispatcher: agent, ...(allowInsecureHttp !== undefined ? {allowInsecureHttp} : {})});
		for (const url of ['http://tiledesk.example.com/v3', 'http://10.0.0.5:3000', 'http://[2001:db8::1]/']) {
			let error: unknown;
			try {
				make(url)();
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(TiledeskError);
			expect((error as TiledeskError).info).toMatchObject({kind: 'validation', retryable: false});
			expect((error as TiledeskError).message).toContain('--allow-insecure-http');
			expect(make(url, true)().baseUrl).toBe(url.replace(/\/$/, ''));
		}
		for (const url of ['http://127.0.0.1:3033', 'http://localhost:3034/v3', 'http://[::1]:3033', 'https://api.tiledesk.com/v3/']) {
			expect(make(url)().baseUrl).toBe(url.replace(/\/$/, ''));
		}
		expect(() => normalizeBaseUrl('https://olga:hunter2@api.tiledesk.com')).toThrow(/must not contain credentials/);
		const e = await errorOf(TiledeskClient.signIn({baseUrl: 'http://tiledesk.example.com', projectId: PID, email: 'a@b.c', password: PASSWORD, dispatcher: agent}));
		expect(e.kind).toBe('validation');
	});

	it('tells an unknown project from a foreign one on testConnection (the server answers both 403 on /projects/:id)', async () => {
		const foreign = {success: false, msg: 'you dont belong to the project.'};
		pool().intercept({path: `/projects/${PID}`, method: 'GET'}).reply(403, foreign);
		pool().intercept({path: `/${PID}/project_users/me`, method: 'GET'}).reply(400, {error: `Project not found with id: ${PID}`});
		const c = new TiledeskClient({baseUrl: BASE, projectId: PID, auth: {kind: 'jwt', token: TOKEN}, dispatcher: agent});
		expect((await errorOf(c.testConnection())).info).toMatchObject({kind: 'project-not-found', message: expect.stringContaining(PID)});
		pool().intercept({path: `/projects/${PID}`, method: 'GET'}).reply(403, foreign);
		pool().intercept({path: `/${PID}/project_users/me`, method: 'GET'}).reply(403, foreign);
		expect((await errorOf(c.testConnection())).info).toMatchObject({kind: 'forbidden', reason: 'not-member'});
	});

	it('refuses input outside the wire contract before calling the server', async () => {
		const c = new TiledeskClient({baseUrl: BASE, projectId: PID, auth: {kind: 'jwt', token: TOKEN}, dispatcher: agent});
		// disableNetConnect: any call would fail as `network`, so `validation` proves no call was made.
		const bad = [{sender: 's', senderFullname: 'S', text: 42}] as unknown as Parameters<typeof c.postMessages>[1];
		expect((await errorOf(c.postMessages('r', bad))).info).toMatchObject({kind: 'validation', message: expect.stringContaining('0.text')});
		const badRequest = {request_id: 'r', first_text: 'x', participants: 'me'} as unknown as Parameters<typeof c.createRequest>[0];
		expect((await errorOf(c.createRequest(badRequest))).message).toContain('participants');
	});
});

describe('TiledeskClient over the sandbox: timeouts, aborts, one keep-alive pool', () => {
	let sandbox: Sandbox;
	let client: TiledeskClient;
	const rid = () => `support-group-${sandbox.credentials.projectId}-t`;
	beforeEach(async () => {
		sandbox = await startSandbox({port: 0});
		const c = sandbox.credentials;
		({client} = await TiledeskClient.signIn({baseUrl: sandbox.url, projectId: c.projectId, email: c.email, password: c.password, timeouts: {headersMs: 250, bodyMs: 250}}));
	});
	afterEach(async () => {
		await client.close();
		await sandbox.close();
	});

	it('a hung response times out with kind timeout (headers timeout)', async () => {
		sandbox.control.setFaults({hangRate: 1});
		const started = Date.now();
		const e = await errorOf(client.getRequest(rid()));
		expect(e.info).toMatchObject({kind: 'timeout', retryable: true, operation: expect.stringMatching(/^GET \/:pid\/requests\//)});
		expect(Date.now() - started).toBeLessThan(2_000);
	});

	it('aborting the signal gives kind aborted: during a call, before it, and with a custom reason', async () => {
		sandbox.control.setFaults({latencyMs: 5_000});
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 50);
		expect((await errorOf(client.getRequest(rid(), controller.signal))).info).toMatchObject({kind: 'aborted', retryable: false});
		const custom = new AbortController();
		setTimeout(() => custom.abort(new Error('user pressed Esc')), 50);
		expect((await errorOf(client.listMessages(rid(), custom.signal))).kind).toBe('aborted');
		const before = sandbox.control.stats().requests;
		expect((await errorOf(client.getRequest(rid(), AbortSignal.abort()))).kind).toBe('aborted');
		expect(sandbox.control.stats().requests).toBe(before);
	});

	it('signs in and makes its calls over one keep-alive pool (8 calls, at most 3 connections)', async () => {
		const fresh = await startSandbox({port: 0});
		try {
			const f = fresh.credentials;
			const {client: one} = await TiledeskClient.signIn({baseUrl: fresh.url, projectId: f.projectId, email: f.email, password: f.password});
			await one.testConnection();
			for (let i = 0; i < 5; i++) await one.getRequest(`support-group-${f.projectId}-${i}`);
			await one.close();
			// The connection test's two calls go out together (two sockets), and the one right after the sign-in POST may
			// open another before the first is released; the five reads after them reuse the pool.
			const stats = fresh.control.stats();
			expect(stats.requests).toBe(8);
			expect(stats.connections).toBeLessThanOrEqual(3);
		} finally {
			await fresh.close();
		}
	});
});
