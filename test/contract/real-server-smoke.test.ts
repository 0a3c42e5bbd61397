// Seed of the contract suite: facts from ../shared/docs/tiledesk-api.md ("Surprises") checked against a REAL
// server. It runs only when the live-lane variables are set (the CI live lane sets them from tiledesk-local.sh
// bootstrap); without a server there is nothing to check, so it is skipped by design. The client/sandbox issue
// turns this into one suite run against both the sandbox and the real server.
import {describe, expect, it} from 'vitest';

const url = process.env['TILEDESK_URL'];
const email = process.env['TILEDESK_EMAIL'];
const password = process.env['TILEDESK_PASSWORD'];
const projectId = process.env['TILEDESK_PROJECT_ID'];
const live = Boolean(url && email && password && projectId);

async function signIn(): Promise<string> {
	const res = await fetch(`${url}/auth/signin`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({email, password})});
	expect(res.status).toBe(200);
	const body = (await res.json()) as {success: boolean; token: string};
	return body.token;
}

describe.runIf(live)('real Tiledesk server (live lane)', () => {
	it('signin returns a token that already carries the "JWT " prefix', async () => {
		expect(await signIn()).toMatch(/^JWT ey/);
	});

	it('GET /projects/:id with the token verbatim returns the project name', async () => {
		const token = await signIn();
		const res = await fetch(`${url}/projects/${projectId}`, {headers: {authorization: token}});
		expect(res.status).toBe(200);
		const project = (await res.json()) as {_id: string; name: string};
		expect(project._id).toBe(projectId);
		expect(project.name).toMatch(/^Local project /);
	});

	it('a bare token (no scheme) gets 400 with a plain-text body', async () => {
		const token = (await signIn()).replace(/^JWT /, '');
		const res = await fetch(`${url}/projects/${projectId}`, {headers: {authorization: token}});
		expect(res.status).toBe(400);
		expect(await res.text()).toBe('Bad Request');
	});

	it('a wrong password gets 401 with a JSON reason', async () => {
		const res = await fetch(`${url}/auth/signin`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({email, password: `${password}-wrong`})});
		expect(res.status).toBe(401);
		expect(await res.json()).toMatchObject({success: false, msg: 'Authentication failed. Wrong password.'});
	});

	it('first_text creates no message: a new request has an empty message list', async () => {
		const token = await signIn();
		const requestId = `support-group-${projectId}-smoke${Date.now()}`;
		const created = await fetch(`${url}/${projectId}/requests`, {
			method: 'POST',
			headers: {authorization: token, 'content-type': 'application/json'},
			body: JSON.stringify({first_text: 'Hello', request_id: requestId}),
		});
		expect(created.status).toBe(200);
		const messages = await fetch(`${url}/${projectId}/requests/${requestId}/messages`, {headers: {authorization: token}});
		expect(messages.status).toBe(200);
		expect(await messages.json()).toEqual([]);
	});
});
