// The sandbox's fault machinery: a seeded RNG (same seed, same faults), scoping by path and method, latency, the
// control endpoint's validation, and that control endpoints themselves are never faulted. What each fault looks
// like to the client is in test/contract/production.contract.test.ts.
import {afterEach, describe, expect, it} from 'vitest';
import {Faults, mulberry32} from '../../source/core/sandbox/faults.js';
import {startSandbox, type Sandbox} from '../../source/core/sandbox/server.js';
import {basic, raw} from '../helpers/targets.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
	await sandbox?.close();
	sandbox = undefined;
});

async function statuses(seed: number, calls: number): Promise<number[]> {
	sandbox = await startSandbox({port: 0, seed, faults: {errorRate: 0.5}});
	const {projectId, email, password} = sandbox.credentials;
	const out: number[] = [];
	for (let i = 0; i < calls; i++) out.push((await raw(sandbox.url, 'GET', `/${projectId}/requests/r${i}/messages`, {authorization: basic(email, password)})).status);
	await sandbox.close();
	sandbox = undefined;
	return out;
}

describe('sandbox faults', () => {
	it('draws from a seeded RNG: the same seed gives the same sequence of faults, another seed another one', async () => {
		expect(Array.from({length: 5}, mulberry32(9))).toEqual(Array.from({length: 5}, mulberry32(9)));
		const first = await statuses(42, 24);
		expect(await statuses(42, 24)).toEqual(first);
		expect(await statuses(43, 24)).not.toEqual(first);
		expect(first.filter((s) => s === 500).length).toBeGreaterThan(0);
		expect(first.filter((s) => s === 200).length).toBeGreaterThan(0);
		expect(new Set(first)).toEqual(new Set([200, 500]));
	});

	it('a partial multi keeps 0 ≤ k < n items, and n = 0 is never faulted', () => {
		const faults = new Faults({partialMultiRate: 1}, 5);
		for (let i = 0; i < 50; i++) {
			const k = faults.partialMulti(4);
			expect(k).toBeGreaterThanOrEqual(0);
			expect(k).toBeLessThan(4);
		}
		expect(faults.partialMulti(0)).toBeUndefined();
	});

	it('applies only to matching paths and methods, never to /__sandbox control calls', async () => {
		sandbox = await startSandbox({port: 0, faults: {errorRate: 1, onlyPaths: '/messages$', onlyMethods: ['GET']}});
		const {projectId, email, password} = sandbox.credentials;
		const auth = basic(email, password);
		expect((await raw(sandbox.url, 'GET', `/${projectId}/requests/r/messages`, {authorization: auth})).status).toBe(500);
		expect((await raw(sandbox.url, 'GET', `/${projectId}/requests/r`, {authorization: auth})).status).toBe(404);
		expect((await raw(sandbox.url, 'POST', `/${projectId}/requests/r/messages/multi`, {authorization: auth, body: []})).status).toBe(404);
		sandbox.control.setFaults({errorRate: 1});
		expect((await raw(sandbox.url, 'GET', '/__sandbox/faults')).json).toEqual({errorRate: 1});
		expect((await raw(sandbox.url, 'GET', '/__sandbox/state')).status).toBe(200);
	});

	it('adds latency', async () => {
		sandbox = await startSandbox({port: 0, faults: {latencyMs: 200}});
		const started = Date.now();
		await raw(sandbox.url, 'GET', `/${sandbox.credentials.projectId}/requests/r`);
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
	});

	it('POST /__sandbox/faults replaces the faults; bad options are a 400 naming the option', async () => {
		sandbox = await startSandbox({port: 0});
		const set = await raw(sandbox.url, 'POST', '/__sandbox/faults', {body: {resetAfterApplyRate: 0.25, onlyPaths: '/requests$', seed: 3}});
		expect([set.status, set.json]).toEqual([200, {success: true, faults: {resetAfterApplyRate: 0.25, onlyPaths: '/requests$', seed: 3}}]);
		expect(sandbox.control.faults()).toEqual({resetAfterApplyRate: 0.25, onlyPaths: '/requests$', seed: 3});
		for (const [body, named] of [
			[{errorRate: 2}, 'errorRate'],
			[{onlyPaths: '(unclosed'}, 'onlyPaths'],
			[{onlyMethods: ['PATCH']}, 'onlyMethods'],
			[{hangRat: 1}, 'hangRat'],
		] as const) {
			const res = await raw(sandbox.url, 'POST', '/__sandbox/faults', {body});
			expect(res.status).toBe(400);
			expect((res.json as {error: string}).error).toContain(named);
		}
		expect((await raw(sandbox.url, 'POST', '/__sandbox/faults', {raw: '{oops'})).status).toBe(400);
		expect(sandbox.control.faults()).toEqual({resetAfterApplyRate: 0.25, onlyPaths: '/requests$', seed: 3});
		expect(() => sandbox!.control.setFaults({errorRate: -1})).toThrow(/invalid sandbox fault option errorRate/);
		await expect(startSandbox({port: 0, faults: {hangRate: 3}})).rejects.toThrow(/invalid sandbox fault option hangRate/);
	});
});
