// Authentication and connection contract, run against the sandbox always and a real server when configured
// (test/helpers/targets.ts). Every scenario holds on both: that is what makes the sandbox a faithful rehearsal.
// Raw calls look at status codes and bodies as sent; client calls check how the client classifies them.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {AnonymousResponse, ProjectResponse, ProjectUsersMeResponse, SigninResponse} from '../../source/core/tiledesk/contract.js';
import {TiledeskError} from '../../source/core/tiledesk/errors.js';
import {signUp} from '../helpers/signup.js';
import {basic, contractTargets, raw, type Connected} from '../helpers/targets.js';

const errorOf = async (p: Promise<unknown>) => {
	const e = await p.then(() => undefined, (error: unknown) => error);
	expect(e).toBeInstanceOf(TiledeskError);
	return e as TiledeskError;
};
/** A well-formed project id that no server has. */
const UNKNOWN_PROJECT = '0123456789abcdef01234567';

describe.each(contractTargets())('auth and connection contract: $name', (target) => {
	let server: Connected;
	let owner: TiledeskClient;
	let token: string;
	let ownerId: string;
	const clients: TiledeskClient[] = [];
	const client = (options: Partial<ConstructorParameters<typeof TiledeskClient>[0]> & Pick<ConstructorParameters<typeof TiledeskClient>[0], 'auth'>) => {
		const c = new TiledeskClient({baseUrl: server.url, projectId: server.credentials.projectId, ...options});
		clients.push(c);
		return c;
	};

	beforeAll(async () => {
		server = await target.connect();
		const signed = await TiledeskClient.signIn({baseUrl: server.url, projectId: server.credentials.projectId, email: server.credentials.email, password: server.credentials.password});
		owner = signed.client;
		token = signed.token;
		ownerId = signed.user.id;
	});
	afterAll(async () => {
		for (const c of [owner, ...clients]) await c?.close();
		await server?.close();
	});

	it('signin returns a token that already carries "JWT ", and the user; the e-mail is case-insensitive', async () => {
		const {email, password} = server.credentials;
		const res = await raw(server.url, 'POST', '/auth/signin', {body: {email: email.toUpperCase(), password}});
		expect(res.status).toBe(200);
		const body = SigninResponse.parse(res.json);
		expect(body.token).toMatch(/^JWT ey/);
		expect(body.user).toMatchObject({_id: ownerId, email: email.toLowerCase(), firstname: 'Olga', lastname: 'Owner'});
		expect(token).toMatch(/^JWT ey/);
	});

	it('signin errors: 422 in express-validator shape, 401 JSON for an unknown user and a wrong password', async () => {
		const {url, credentials: c} = server;
		const invalid = await raw(url, 'POST', '/auth/signin', {body: {email: 'not-an-email', password: ''}});
		expect(invalid.status).toBe(422);
		expect(invalid.json).toEqual({
			errors: [
				{value: 'not-an-email', msg: 'Invalid value', param: 'email', location: 'body'},
				{value: '', msg: 'Invalid value', param: 'password', location: 'body'},
			],
		});
		const unknown = await raw(url, 'POST', '/auth/signin', {body: {email: `nobody-${Date.now()}@example.com`, password: 'x'}});
		expect([unknown.status, unknown.json]).toEqual([401, {success: false, msg: 'Authentication failed. User not found.'}]);
		const wrong = await raw(url, 'POST', '/auth/signin', {body: {email: c.email, password: `${c.password}-wrong`}});
		expect([wrong.status, wrong.json]).toEqual([401, {success: false, msg: 'Authentication failed. Wrong password.'}]);

		const e = await errorOf(TiledeskClient.signIn({baseUrl: url, projectId: c.projectId, email: c.email, password: `${c.password}-wrong`}));
		expect(e.info).toMatchObject({kind: 'bad-credentials', status: 401});
		expect(e.message).toContain('Wrong password');
		expect(e.message).not.toContain(c.password);
		expect((await errorOf(TiledeskClient.signIn({baseUrl: url, projectId: c.projectId, email: 'not-an-email', password: 'x'}))).info).toMatchObject({kind: 'validation', status: 422});
	});

	it('Basic auth works on project routes (user name case-insensitive); a wrong Basic password is a plain-text 401', async () => {
		const {email, password} = server.credentials;
		const info = await client({auth: {kind: 'basic', email: email.toUpperCase(), password}}).testConnection();
		expect(info).toMatchObject({role: 'owner', user: {id: ownerId}});
		const wrong = await raw(server.url, 'GET', `/projects/${server.credentials.projectId}`, {authorization: basic(email, `${password}-wrong`)});
		expect([wrong.status, wrong.text, wrong.headers.get('www-authenticate')]).toEqual([401, 'Unauthorized', 'Basic realm="Users"']);
		const e = await errorOf(client({auth: {kind: 'basic', email, password: `${password}-wrong`}}).testConnection());
		expect(e.info).toMatchObject({kind: 'bad-credentials', status: 401});
		expect(JSON.stringify(e.info) + e.message).not.toContain(password);
	});

	it('Authorization: none → 401, bare token → 400 "Bad Request", Bearer → 401, tampered → 401, all plain text; "jwt" lower-case works', async () => {
		const path = `/projects/${server.credentials.projectId}`;
		const bare = token.replace(/^JWT /, '');
		const none = await raw(server.url, 'GET', path);
		expect([none.status, none.text]).toEqual([401, 'Unauthorized']);
		const noScheme = await raw(server.url, 'GET', path, {authorization: bare});
		expect([noScheme.status, noScheme.text]).toEqual([400, 'Bad Request']);
		const bearer = await raw(server.url, 'GET', path, {authorization: `Bearer ${bare}`});
		expect([bearer.status, bearer.text]).toEqual([401, 'Unauthorized']);
		const tampered = await raw(server.url, 'GET', path, {authorization: `${token.slice(0, -3)}xyz`});
		expect([tampered.status, tampered.text]).toEqual([401, 'Unauthorized']);
		const lower = await raw(server.url, 'GET', path, {authorization: `jwt ${bare}`});
		expect(lower.status).toBe(200);

		const e = await errorOf(client({auth: {kind: 'jwt', token: bare}}).testConnection());
		expect(e.info).toMatchObject({kind: 'bad-credentials', status: 400});
		expect(e.message).toMatch(/"JWT " prefix/);
		expect(e.message + JSON.stringify(e.info)).not.toContain(bare.slice(10, 40));
		expect((await errorOf(client({auth: {kind: 'jwt', token: `Bearer ${bare}`}}).testConnection())).kind).toBe('bad-credentials');
	});

	it('testConnection: project name, plan and the caller\'s role, for the owner (JWT) and the agent (Basic)', async () => {
		const info = await owner.testConnection();
		expect(info).toMatchObject({
			project: {id: server.credentials.projectId, name: expect.stringMatching(/^(Local|Sandbox) project/), plan: 'Sandbox', monthlyConversationLimit: 200},
			role: 'owner',
			user: {id: ownerId},
		});
		const project = ProjectResponse.parse((await raw(server.url, 'GET', `/projects/${server.credentials.projectId}`, {authorization: token})).json);
		expect(project).toMatchObject({_id: server.credentials.projectId, status: 100, profile: {name: 'Sandbox', type: 'free'}});
		const me = ProjectUsersMeResponse.parse((await raw(server.url, 'GET', `/${server.credentials.projectId}/project_users/me`, {authorization: token})).json);
		expect(me).toEqual([expect.objectContaining({role: 'owner', id_project: server.credentials.projectId, isBusy: false})]);

		const {agentEmail, agentPassword, agentId} = server.credentials;
		const agent = await client({auth: {kind: 'basic', email: agentEmail, password: agentPassword}}).testConnection();
		expect(agent).toMatchObject({role: 'agent', user: {id: agentId}});
	});

	it('a malformed project id: refused by the client before any call; 500 on /projects/:id and 400 on /:pid routes', async () => {
		const e = await errorOf(client({projectId: 'my-project', auth: {kind: 'jwt', token}}).testConnection());
		expect(e.info).toMatchObject({kind: 'project-not-found'});
		expect(e.info.status).toBeUndefined();
		expect(e.message).toContain('24 hexadecimal');
		const projects = await raw(server.url, 'GET', '/projects/my-project', {authorization: token});
		expect([projects.status, projects.json]).toEqual([500, {err: 'error'}]);
		// The project setter runs before authentication: no credentials needed to get this 400.
		const routes = await raw(server.url, 'GET', '/my-project/requests/x');
		expect([routes.status, routes.json]).toEqual([400, {error: 'Invalid project id: my-project'}]);
	});

	it('an unknown well-formed project: 403 on /projects/:id, 400 "Project not found" on /:pid routes; the client says project-not-found', async () => {
		const projects = await raw(server.url, 'GET', `/projects/${UNKNOWN_PROJECT}`, {authorization: token});
		expect([projects.status, projects.json]).toEqual([403, {success: false, msg: 'you dont belong to the project.'}]);
		const routes = await raw(server.url, 'GET', `/${UNKNOWN_PROJECT}/project_users/me`, {authorization: token});
		expect([routes.status, routes.json]).toEqual([400, {error: `Project not found with id: ${UNKNOWN_PROJECT}`}]);

		const unknown = client({projectId: UNKNOWN_PROJECT, auth: {kind: 'jwt', token}});
		const e = await errorOf(unknown.testConnection());
		expect(e.info).toMatchObject({kind: 'project-not-found', status: 400});
		expect(e.message).toContain(UNKNOWN_PROJECT);
		expect((await errorOf(unknown.getRequest('support-group-x'))).kind).toBe('project-not-found');
		expect((await errorOf(unknown.createRequest({request_id: 'support-group-x', first_text: 'x'}))).kind).toBe('project-not-found');
	});

	it('a user who is not a member of the project gets forbidden/not-member (403 "you dont belong to the project.")', async () => {
		const stranger = await signUp(server.url);
		const signed = await TiledeskClient.signIn({baseUrl: server.url, projectId: server.credentials.projectId, email: stranger.email, password: stranger.password});
		clients.push(signed.client);
		expect(signed.user.id).toBe(stranger.id);
		const e = await errorOf(signed.client.testConnection());
		expect(e.info).toMatchObject({kind: 'forbidden', reason: 'not-member', status: 403});
		expect((await errorOf(signed.client.createRequest({request_id: 'support-group-x', first_text: 'x'}))).info).toMatchObject({kind: 'forbidden', reason: 'not-member'});
		const res = await raw(server.url, 'GET', `/${server.credentials.projectId}/requests/x/messages`, {authorization: signed.token});
		expect([res.status, res.json]).toEqual([403, {success: false, msg: 'you dont belong to the project.'}]);
	});

	it('signup (test helper route): 422 for a bad e-mail or missing names, 200 success:false without a password', async () => {
		const bad = await raw(server.url, 'POST', '/auth/signup', {body: {email: 'bad', password: 'pw'}});
		expect([bad.status, bad.json]).toEqual([
			422,
			{
				errors: [
					{value: 'bad', msg: 'Invalid value', param: 'email', location: 'body'},
					{msg: 'Invalid value', param: 'firstname', location: 'body'},
					{msg: 'Invalid value', param: 'lastname', location: 'body'},
				],
			},
		]);
		const noPassword = await raw(server.url, 'POST', '/auth/signup', {body: {email: `np-${Date.now()}@example.com`, firstname: 'N', lastname: 'P'}});
		expect([noPassword.status, noPassword.json]).toEqual([200, {success: false, msg: 'Please pass email and password.'}]);
	});

	it('signinAnonymously: a guest identity (uuid) with names, e-mail and attributes; defaults for a bare call', async () => {
		const guest = await owner.signInAnonymously({firstname: 'Vera', lastname: 'Visitor', email: 'vera@example.com', attributes: {src: 'import'}});
		expect(guest).toEqual({id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-/), fullName: 'Vera Visitor', email: 'vera@example.com'});
		const full = await raw(server.url, 'POST', '/auth/signinAnonymously', {body: {id_project: server.credentials.projectId, firstname: 'Vera', lastname: 'Visitor', attributes: {src: 'import'}}});
		const body = AnonymousResponse.parse(full.json);
		expect(body.token).toMatch(/^JWT ey/);
		expect(body.user).toMatchObject({firstname: 'Vera', lastname: 'Visitor', attributes: {src: 'import'}, fullName: 'Vera Visitor', id: body.user._id});
		const bare = AnonymousResponse.parse((await raw(server.url, 'POST', '/auth/signinAnonymously', {body: {id_project: server.credentials.projectId}})).json);
		expect(bare.user.firstname).toBe(`guest#${bare.user._id.slice(0, 4)}`);
	});

	it('signinAnonymously errors: 422 without id_project, 500 for a non-ObjectId, 200 for an unknown well-formed id', async () => {
		const missing = await raw(server.url, 'POST', '/auth/signinAnonymously', {body: {firstname: 'X'}});
		expect([missing.status, missing.json]).toEqual([422, {errors: [{msg: 'Invalid value', param: 'id_project', location: 'body'}]}]);
		const notId = await raw(server.url, 'POST', '/auth/signinAnonymously', {body: {id_project: 'not-an-id'}});
		expect([notId.status, notId.json]).toEqual([500, {success: false, msg: 'Error saving object.'}]);
		const unknown = await raw(server.url, 'POST', '/auth/signinAnonymously', {body: {id_project: UNKNOWN_PROJECT}});
		expect(unknown.status).toBe(200);
		// The client checks the id first, so a typo never reaches the server as this 500.
		expect((await errorOf(client({projectId: 'not-an-id', auth: {kind: 'jwt', token}}).signInAnonymously({firstname: 'X'}))).kind).toBe('project-not-found');
	});
});
