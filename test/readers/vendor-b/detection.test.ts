/**
 * The app's detection (all registered readers) picks the right vendor-b reader for every vendor-b fixture, refuses
 * recognised non-transcripts (Dialogflow, Zendesk users) with a reason, and no vendor-b reader claims the fixtures
 * and samples of other formats.
 */
import {readFileSync, readdirSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {detectFormat} from '../../../source/core/readers/detect.js';
import {readers as vendorB} from '../../../source/core/readers/vendor-b/index.js';
import {dialogflowReader} from '../../../source/core/readers/vendor-b/dialogflow.js';
import {collect, fixture, FIXTURES, probeOf, tempDir, writeZip} from './helpers.js';

const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));

const zips: Record<string, string> = {};
beforeAll(() => {
	const dir = tempDir();
	const root = fixture('dialogflow/agent');
	const entries = Object.fromEntries(walk(root).map((f) => [relative(root, f), readFileSync(f)]));
	zips['es'] = writeZip(join(dir, 'orders-bot.zip'), entries);
	zips['es-folder'] = writeZip(join(dir, 'nested.zip'), Object.fromEntries(Object.entries(entries).map(([k, v]) => [`orders-bot/${k}`, v])));
	zips['cx'] = writeZip(join(dir, 'cx.zip'), {'agent.json': '{"displayName": "x", "defaultLanguageCode": "en", "timeZone": "Europe/Rome"}', 'flows/Default Start Flow/Default Start Flow.json': '{}'});
	zips['other'] = writeZip(join(dir, 'other.zip'), {'agent.json': '{}', 'readme.txt': 'x'});
});

const OWN: [string, string][] = [
	['zendesk-support/tickets-with-comments.json', 'zendesk-support'],
	['zendesk-support/tickets-page.json', 'zendesk-support'],
	['zendesk-support/ticket-pair.json', 'zendesk-support'],
	['zendesk-support/export.jsonl', 'zendesk-support'],
	['zendesk-support/broken-line.jsonl', 'zendesk-support'],
	['zendesk-support/truncated.json', 'zendesk-support'],
	['zendesk-chat/chats.json', 'zendesk-chat'],
	['zendesk-chat/chats.jsonl', 'zendesk-chat'],
	['zendesk-chat/truncated.json', 'zendesk-chat'],
	['intercom/conversation.json', 'intercom'],
	['intercom/conversations.json', 'intercom'],
	['intercom/notification.json', 'intercom'],
	['intercom/truncated.json', 'intercom'],
	['botframework/rich-cards.transcript', 'botframework'],
	['botframework/two-conversations.transcript', 'botframework'],
	['botframework/truncated.transcript', 'botframework'],
	['freshdesk/webchat.json', 'freshdesk'],
	['freshdesk/tickets.json', 'freshdesk'],
	['freshdesk/truncated.json', 'freshdesk'],
	['tidio/messages.csv', 'tidio'],
	['tidio/broken.csv', 'tidio'],
	['gorgias/conversations_gorgias.csv', 'gorgias'],
	['gorgias/messages_gorgias.csv', 'gorgias'],
	['gorgias/messages-only/messages.csv', 'gorgias'],
	['gorgias/broken-sender/messages.csv', 'gorgias'],
	['gorgias/tickets-only/tickets.csv', 'gorgias'],
	['twcs/twcs.csv', 'twcs'],
	['twcs/missing-column.csv', 'twcs'],
];

describe('vendor-b detection across all registered readers', () => {
	it.each(OWN)('%s → %s', async (path, id) => {
		expect((await detectFormat(fixture(path))).reader.id).toBe(id);
	});

	it('every vendor-b fixture is covered above (new fixtures must be added)', () => {
		const dirs = ['zendesk-support', 'zendesk-chat', 'intercom', 'botframework', 'freshdesk', 'tidio', 'gorgias', 'twcs'];
		const files = dirs.flatMap((d) => walk(fixture(d)).map((f) => relative(FIXTURES, f)));
		const listed = new Set(OWN.map(([p]) => p));
		expect(files.filter((f) => !listed.has(f) && !f.endsWith('users.json'))).toEqual([]);
	});

	it.each([
		['agent.json', /Dialogflow agent export/],
		['intents/order.status.json', /Dialogflow intent/],
		['intents/order.status_usersays_en.json', /training-phrase/],
		['entities/size.json', /Dialogflow entity/],
	])('Dialogflow %s is recognised and refused with a reason', async (name, reason) => {
		await expect(detectFormat(fixture(`dialogflow/agent/${name}`))).rejects.toThrow(reason);
	});

	it.each(['es', 'es-folder', 'cx'])('a Dialogflow agent ZIP (%s) is refused: training data, not conversations', async (key) => {
		await expect(detectFormat(zips[key]!)).rejects.toThrow(/training data, not conversations.*export the conversations from the channel/);
	});

	it('CX BigQuery interaction logs are recognised and refused with what to do instead', async () => {
		await expect(detectFormat(fixture('dialogflow/cx-logs.jsonl'))).rejects.toThrow(/Dialogflow CX interaction logs.*native CSV or JSONL/);
	});

	it('a ZIP that merely holds an agent.json is not taken for Dialogflow', async () => {
		expect(dialogflowReader.detect(await probeOf(zips['other']!)).confidence).toBe(0);
	});

	it('a Zendesk users export is refused with a reason', async () => {
		await expect(detectFormat(fixture('zendesk-support/users.json'))).rejects.toThrow(/Zendesk users export/);
	});

	it('reading a Dialogflow file with --format dialogflow gives the reason as an unsupported-format error', async () => {
		const {drafts, findings} = await collect(dialogflowReader, fixture('dialogflow/agent/agent.json'));
		expect(drafts).toEqual([]);
		expect(findings).toMatchObject([{severity: 'error', code: 'unsupported-format', message: expect.stringMatching(/^agent\.json: This is a Dialogflow agent export/)}]);
	});

	it('Rasa NLU data stays group A’s refusal', async () => {
		await expect(detectFormat(fixture('rasa/nlu.json'))).rejects.toThrow(/Rasa NLU training data/);
	});

	it('no vendor-b reader claims the fixtures and samples of other formats', async () => {
		const mine = new Set(['zendesk-support', 'zendesk-chat', 'intercom', 'botframework', 'freshdesk', 'tidio', 'gorgias', 'twcs', 'dialogflow']);
		const others = [
			...readdirSync(FIXTURES)
				// fuzz/ holds mutated inputs named for the reader they broke (an Intercom file stays an Intercom file).
				.filter((d) => !mine.has(d) && d !== 'fuzz')
				.flatMap((d) => walk(join(FIXTURES, d))),
			...walk(new URL('../../../samples/', import.meta.url).pathname).filter((f) => /\.(json|jsonl|csv)$/.test(f)),
		];
		expect(others.length).toBeGreaterThan(20);
		const claimed: string[] = [];
		for (const path of others) {
			const probe = await probeOf(path);
			for (const reader of vendorB) {
				const d = reader.detect(probe);
				if (d.confidence > 0.3) claimed.push(`${relative(FIXTURES, path)} claimed by ${reader.id} (${d.confidence}: ${d.reason})`);
			}
		}
		expect(claimed).toEqual([]);
	});

	it('no vendor-b reader claims another vendor-b format’s fixture', async () => {
		const claimed: string[] = [];
		for (const [path, id] of OWN) {
			const probe = await probeOf(fixture(path));
			for (const reader of vendorB) {
				if (reader.id !== id && reader.detect(probe).confidence > 0.3) claimed.push(`${path} claimed by ${reader.id}`);
			}
		}
		expect(claimed).toEqual([]);
	});
});
