// Production behaviour the local real server cannot show (CongoDB enforces no unique index; the quota needs a
// forced Redis counter; faults are injected), asserted against the sandbox only.
import {afterEach, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../../source/core/sandbox/server.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {TiledeskError} from '../../source/core/tiledesk/errors.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
	await sandbox?.close();
	sandbox = undefined;
});

async function connect(options: Parameters<typeof startSandbox>[0] = {}) {
	sandbox = await startSandbox({port: 0, ...options});
	const {credentials: c} = sandbox;
	const {client} = await TiledeskClient.signIn({baseUrl: sandbox.url, projectId: c.projectId, email: c.email, password: c.password, timeouts: {headersMs: 300, bodyMs: 300}});
	return {client, projectId: c.projectId};
}
const errorOf = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as TiledeskError;

describe('sandbox quirks (production behaviour)', () => {
	it('answers a duplicate request_id with 500 "Unable to create request", like MongoDB\'s unique index', async () => {
		const {client, projectId} = await connect();
		const input = {request_id: `support-group-${projectId}-dup`, first_text: 'x'};
		await client.createRequest(input);
		expect((await errorOf(client.createRequest(input))).kind).toBe('create-refused');
		await client.close();
	});

	it('refuses conversations beyond the monthly quota the same way, and the quota call counts them', async () => {
		const {client, projectId} = await connect({monthlyRequests: 2});
		await client.createRequest({request_id: `support-group-${projectId}-q1`, first_text: 'x'});
		await client.createRequest({request_id: `support-group-${projectId}-q2`, first_text: 'x'});
		expect((await errorOf(client.createRequest({request_id: `support-group-${projectId}-q3`, first_text: 'x'}))).kind).toBe('create-refused');
		expect(await client.getRequest(`support-group-${projectId}-q3`)).toBeNull();
		expect(await client.getQuota()).toEqual({requestsUsed: 2});
		await client.close();
	});

	it('never answers a multi call whose body is not an array (the client times out)', async () => {
		sandbox = await startSandbox({port: 0});
		const c = sandbox.credentials;
		const {token} = await TiledeskClient.signIn({baseUrl: sandbox.url, projectId: c.projectId, email: c.email, password: c.password});
		const call = fetch(`${sandbox.url}/${c.projectId}/requests/r/messages/multi`, {
			method: 'POST',
			headers: {authorization: token, 'content-type': 'application/json'},
			body: JSON.stringify({text: 'not an array'}),
			signal: AbortSignal.timeout(300),
		});
		await expect(call).rejects.toThrow(/aborted|timeout/i);
	});

	it('answers 413 above the 500 KB body limit', async () => {
		const {client, projectId} = await connect();
		await client.createRequest({request_id: `support-group-${projectId}-big`, first_text: 'x'});
		const big = [{sender: 's', senderFullname: 'S', text: 'x'.repeat(520_000)}];
		expect((await errorOf(client.postMessages(`support-group-${projectId}-big`, big))).kind).toBe('body-too-large');
		await client.close();
	});

	it('injects 429 with Retry-After and hung responses on demand', async () => {
		const {client, projectId} = await connect();
		sandbox!.control.setFaults({rateLimitRate: 1, retryAfterSeconds: 3});
		expect((await errorOf(client.getRequest(`support-group-${projectId}-x`))).info).toMatchObject({kind: 'rate-limited', retryAfterMs: 3000});
		sandbox!.control.setFaults({hangRate: 1});
		expect((await errorOf(client.getRequest(`support-group-${projectId}-x`))).kind).toBe('timeout');
		sandbox!.control.setFaults({});
		expect(await client.getRequest(`support-group-${projectId}-x`)).toBeNull();
		await client.close();
	});

	it('prints the connection in the real bootstrap\'s export form', async () => {
		sandbox = await startSandbox({port: 0});
		const names = sandbox.exportsText.split('\n').map((l) => /^export (TILEDESK_[A-Z_]+)=\S+$/.exec(l)?.[1]);
		expect(names).toEqual(['TILEDESK_URL', 'TILEDESK_EMAIL', 'TILEDESK_PASSWORD', 'TILEDESK_AGENT_EMAIL', 'TILEDESK_AGENT_PASSWORD', 'TILEDESK_AGENT_ID', 'TILEDESK_PROJECT_ID']);
	});
});
