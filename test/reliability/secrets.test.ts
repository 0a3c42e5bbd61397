// Secrets and transport (built CLI, sandbox): the password and the token never appear on stdout/stderr (also with
// --debug), in reports, journals or thrown errors, on success and on failure (wrong password, bad token, server
// down, 500s); journals are 0600 in 0700 folders; plain http:// to a non-loopback host is refused unless
// --allow-insecure-http; TLS is verified (a self-signed server is refused with a clear TLS message and accepted
// when its certificate is trusted through NODE_EXTRA_CA_CERTS). test/reliability/tls/ holds a throwaway
// self-signed certificate for 127.0.0.1 (test use only).
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {createServer as createHttpsServer, type Server as HttpsServer} from 'node:https';
import {request as httpRequest} from 'node:http';
import type {AddressInfo} from 'node:net';
import {networkInterfaces, tmpdir} from 'node:os';
import {join} from 'node:path';
import {inspect} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {connect} from '../../source/core/connection/connect.js';
import {startSandbox, type Sandbox} from '../../source/core/sandbox/server.js';
import {TiledeskClient} from '../../source/core/tiledesk/client.js';
import {journalFiles, runCli, writeTranscript, type CliRun} from '../helpers/crash.js';

const TLS = join(import.meta.dirname, 'tls');
/** A JSON Web Token anywhere in a text (header.payload.signature, base64url). */
const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/;
const WRONG_PASSWORD = 'Wrong-Xyzzy-Pa55-3141592';
const BAD_TOKEN = 'JWT eyJhbGciOiJIUzI1NiJ9.eyJ4eXp6eSI6InBsdWdoIn0.Xyzzy-bad-signature-2718281';

/** Every file under `folder`, recursively, with its text. */
function filesUnder(folder: string): {path: string; text: string}[] {
	const out: {path: string; text: string}[] = [];
	let entries;
	try {
		entries = readdirSync(folder, {withFileTypes: true, recursive: true});
	} catch {
		return out;
	}
	for (const e of entries) if (e.isFile()) out.push({path: join(e.parentPath, e.name), text: readFileSync(join(e.parentPath, e.name), 'utf8')});
	return out;
}

function expectNoSecret(texts: {where: string; text: string}[], secrets: string[]): void {
	for (const {where, text} of texts) {
		for (const secret of secrets) expect(text.includes(secret), `${where} contains a secret`).toBe(false);
		expect(JWT.test(text), `${where} contains a JWT`).toBe(false);
		expect(text, where).not.toMatch(/authorization:/i);
	}
}

const outputs = (name: string, r: CliRun) => [
	{where: `${name} stdout`, text: r.stdout},
	{where: `${name} stderr`, text: r.stderr},
];

describe('secrets, file modes and transport security (built CLI, sandbox)', () => {
	let sandbox: Sandbox;
	let dir: string;
	let base: Record<string, string>;
	let file: string;
	let token: string;

	beforeAll(async () => {
		sandbox = await startSandbox({port: 0, host: '0.0.0.0'});
		dir = mkdtempSync(join(tmpdir(), 'tdi-secrets-'));
		const port = new URL(sandbox.url).port;
		base = {TILEDESK_URL: `http://127.0.0.1:${port}`, TILEDESK_PROJECT_ID: sandbox.credentials.projectId, TILEDESK_EMAIL: sandbox.credentials.email};
		file = join(dir, 'chats.jsonl');
		writeTranscript(file, 4, 3, 'sec');
		const signed = await TiledeskClient.signIn({baseUrl: base['TILEDESK_URL']!, projectId: sandbox.credentials.projectId, email: sandbox.credentials.email, password: sandbox.credentials.password});
		token = signed.token;
		await signed.client.close();
	});
	afterAll(async () => {
		await sandbox?.close();
		rmSync(dir, {recursive: true, force: true});
	});

	it('a successful import (password, token, --password-stdin; lines, --json, --debug) prints, reports and journals no secret; journals are 0600 in 0700 folders', async () => {
		const secrets = [sandbox.credentials.password, token.replace(/^JWT /, '')];
		const texts: {where: string; text: string}[] = [];
		const runs: [string, Record<string, string>, string[], string?][] = [
			['password', {TILEDESK_PASSWORD: sandbox.credentials.password}, []],
			['password --json --debug', {TILEDESK_PASSWORD: sandbox.credentials.password}, ['--json', '--debug']],
			['token --debug', {TILEDESK_TOKEN: token}, ['--debug', '--recheck']],
			['password-stdin', {}, ['--password-stdin', '--recheck'], `${sandbox.credentials.password}\n`],
		];
		for (const [name, env, args, stdin] of runs) {
			const stateHome = join(dir, `state-${name.replaceAll(' ', '')}`);
			const r = await runCli(['import', file, '--yes', '--source', 'secrets', '--report-dir', join(dir, 'reports'), ...args], {...base, ...env, XDG_STATE_HOME: stateHome}, {deadlineMs: 30_000, ...(stdin ? {stdin} : {})});
			expect(r.code, `${name}: ${r.stderr}`).toBe(0);
			texts.push(...outputs(name, r));
			for (const f of filesUnder(stateHome)) texts.push({where: f.path, text: f.text});
			// Journals hold the job's history: owner-only file in owner-only folders.
			const [journal] = journalFiles(stateHome);
			expect(journal, name).toBeDefined();
			expect((statSync(journal!).mode & 0o777).toString(8), `${name} journal mode`).toBe('600');
			expect((statSync(join(stateHome, 'tiledesk-import', 'journals')).mode & 0o777).toString(8), `${name} journals folder`).toBe('700');
			expect((statSync(join(stateHome, 'tiledesk-import')).mode & 0o777).toString(8), `${name} state folder`).toBe('700');
		}
		const reports = filesUnder(join(dir, 'reports'));
		expect(reports.length).toBeGreaterThanOrEqual(8);
		for (const f of reports) texts.push({where: f.path, text: f.text});
		expectNoSecret(texts, secrets);
	});

	it('failing runs (wrong password, bad token, server down, 500s; with and without --debug) name the problem without the secret', async () => {
		const closedPort = await new Promise<number>((resolve) => {
			const s = createHttpsServer().listen(0, '127.0.0.1', () => {
				const port = (s.address() as AddressInfo).port;
				s.close(() => resolve(port));
			});
		});
		const cases: [string, Record<string, string>, RegExp, number][] = [
			['wrong password', {TILEDESK_PASSWORD: WRONG_PASSWORD}, /credentials|password/i, 3],
			['bad token', {TILEDESK_TOKEN: BAD_TOKEN}, /credentials|token/i, 3],
			['server down', {TILEDESK_PASSWORD: WRONG_PASSWORD, TILEDESK_URL: `http://127.0.0.1:${closedPort}`}, /refused|running/i, 3],
		];
		const texts: {where: string; text: string}[] = [];
		for (const [name, env, message, code] of cases) {
			for (const debug of [[], ['--debug']]) {
				const stateHome = join(dir, 'state-fail');
				const r = await runCli(['import', file, '--yes', '--source', 'secrets-fail', ...debug], {...base, ...env, XDG_STATE_HOME: stateHome}, {deadlineMs: 30_000});
				expect(r.code, `${name}: ${r.stderr}`).toBe(code);
				expect(r.stderr).toMatch(message);
				expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user or network problem
				texts.push(...outputs(`${name} ${debug.join('')}`, r));
			}
		}
		// 500s: at sign-in, then on the project lookup after a successful sign-in.
		for (const onlyPaths of ['^/auth/signin$', '^/projects/']) {
			sandbox.control.setFaults({errorRate: 1, onlyPaths});
			try {
				for (const debug of [[], ['--debug']]) {
					const r = await runCli(['import', file, '--yes', '--source', 'secrets-fail', ...debug], {...base, TILEDESK_PASSWORD: sandbox.credentials.password, XDG_STATE_HOME: join(dir, 'state-fail')}, {deadlineMs: 30_000});
					expect(r.code, r.stderr).toBe(3);
					expect(r.stderr).toMatch(/500/);
					texts.push(...outputs(`500 ${onlyPaths} ${debug.join('')}`, r));
				}
			} finally {
				sandbox.control.setFaults({});
			}
		}
		expectNoSecret(texts, [WRONG_PASSWORD, BAD_TOKEN.replace(/^JWT /, ''), sandbox.credentials.password, token.replace(/^JWT /, '')]);
	});

	it('errors thrown by the client and by connect carry no password or token (message, stack, inspect, JSON)', async () => {
		const errors: unknown[] = [];
		const url = base['TILEDESK_URL']!;
		await TiledeskClient.signIn({baseUrl: url, projectId: sandbox.credentials.projectId, email: sandbox.credentials.email, password: WRONG_PASSWORD}).catch((e: unknown) => errors.push(e));
		const bad = new TiledeskClient({baseUrl: url, projectId: sandbox.credentials.projectId, auth: {kind: 'jwt', token: BAD_TOKEN}});
		await bad.testConnection().catch((e: unknown) => errors.push(e));
		await bad.close();
		const basic = new TiledeskClient({baseUrl: url, projectId: sandbox.credentials.projectId, auth: {kind: 'basic', email: sandbox.credentials.email, password: WRONG_PASSWORD}});
		await basic.testConnection().catch((e: unknown) => errors.push(e));
		await basic.close();
		await connect({baseUrl: 'http://127.0.0.1:9', projectId: sandbox.credentials.projectId, email: sandbox.credentials.email, password: WRONG_PASSWORD}).catch((e: unknown) => errors.push(e));
		await connect({baseUrl: url, projectId: sandbox.credentials.projectId, token: BAD_TOKEN}).catch((e: unknown) => errors.push(e));
		expect(errors).toHaveLength(5);
		const texts = errors.flatMap((e, i) => [
			{where: `error ${i} message`, text: (e as Error).message},
			{where: `error ${i} stack`, text: (e as Error).stack ?? ''},
			{where: `error ${i} inspect`, text: inspect(e, {depth: 8, showHidden: true})},
			{where: `error ${i} JSON`, text: JSON.stringify(e)},
		]);
		const basicHeader = Buffer.from(`${sandbox.credentials.email}:${WRONG_PASSWORD}`).toString('base64');
		expectNoSecret(texts, [WRONG_PASSWORD, BAD_TOKEN.replace(/^JWT /, ''), basicHeader]);
	});

	it('plain http:// to a host other than this machine is refused unless --allow-insecure-http', async () => {
		const port = new URL(sandbox.url).port;
		const lan = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
		// Without a non-loopback interface the refusal is still checked (it happens before any connection).
		const host = lan ?? '192.0.2.1';
		const env = {...base, TILEDESK_URL: `http://${host}:${port}`, TILEDESK_PASSWORD: sandbox.credentials.password, XDG_STATE_HOME: join(dir, 'state-http')};
		const refused = await runCli(['import', file, '--yes', '--source', 'secrets-http'], env, {deadlineMs: 30_000});
		expect(refused.code, refused.stderr).not.toBe(0);
		expect(refused.stderr).toMatch(/plain http:\/\//);
		expect(refused.stderr).toMatch(/--allow-insecure-http/);
		expect(refused.stderr).not.toContain(sandbox.credentials.password);
		if (lan) {
			const allowed = await runCli(['import', file, '--yes', '--source', 'secrets-http', '--allow-insecure-http'], env, {deadlineMs: 30_000});
			expect(allowed.code, allowed.stderr).toBe(0);
		}
	});

	describe('TLS', () => {
		let https: HttpsServer;
		let httpsUrl: string;

		beforeAll(async () => {
			// An HTTPS front for the sandbox with a self-signed certificate.
			const target = new URL(base['TILEDESK_URL']!);
			https = createHttpsServer({key: readFileSync(join(TLS, 'key.pem')), cert: readFileSync(join(TLS, 'cert.pem'))}, (req, res) => {
				const out = httpRequest({hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers}, (up) => {
					res.writeHead(up.statusCode ?? 502, up.headers);
					up.pipe(res);
				});
				out.on('error', () => res.destroy());
				req.pipe(out);
			});
			await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', () => resolve()));
			httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
		});
		afterAll(async () => {
			https.closeAllConnections();
			await new Promise<void>((resolve) => https.close(() => resolve()));
		});

		it('a server whose certificate is not trusted is refused with a clear TLS message', async () => {
			const r = await runCli(['import', file, '--yes', '--source', 'secrets-tls'], {...base, TILEDESK_URL: httpsUrl, TILEDESK_PASSWORD: sandbox.credentials.password, XDG_STATE_HOME: join(dir, 'state-tls')}, {deadlineMs: 30_000});
			expect(r.code, r.stderr).toBe(3);
			expect(r.stderr).toMatch(/TLS/);
			expect(r.stderr).toMatch(/NODE_EXTRA_CA_CERTS/);
			expect(r.stderr).not.toContain(sandbox.credentials.password);
		});

		it('the same server is accepted once its certificate is trusted through NODE_EXTRA_CA_CERTS', async () => {
			const r = await runCli(['import', file, '--yes', '--source', 'secrets-tls'], {...base, TILEDESK_URL: httpsUrl, TILEDESK_PASSWORD: sandbox.credentials.password, XDG_STATE_HOME: join(dir, 'state-tls'), NODE_EXTRA_CA_CERTS: join(TLS, 'cert.pem')}, {deadlineMs: 30_000});
			expect(r.code, r.stderr).toBe(0);
			expect(r.stderr).toMatch(/4 imported/);
		});
	});
});
