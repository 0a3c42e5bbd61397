/** The app's detection (all registered readers) picks the right vendor-a reader for every fixture. */
import {readFileSync, readdirSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {detectFormat} from '../../../source/core/readers/detect.js';
import {fixture, tempDir, writeZip} from './helpers.js';

const zips: Record<string, string> = {};
beforeAll(() => {
	const dir = tempDir();
	const root = fixture('slack/export');
	const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
	zips['slack'] = writeZip(join(dir, 'slack.zip'), Object.fromEntries(walk(root).map((f) => [relative(root, f), readFileSync(f)])));
	zips['whatsapp'] = writeZip(join(dir, 'WhatsApp Chat - Laura.zip'), {'_chat.txt': readFileSync(fixture('whatsapp/ios/_chat.txt')), 'a.jpg': 'x'});
	zips['whatsapp-android'] = writeZip(join(dir, 'chat.zip'), {'WhatsApp Chat with Mario Rossi.txt': readFileSync(fixture('whatsapp/WhatsApp Chat with Mario Rossi.txt'))});
	zips['telegram'] = writeZip(join(dir, 'tg.zip'), {'ChatExport_2024-03-17/result.json': readFileSync(fixture('telegram/result.json'))});
});

describe('detection across all registered readers', () => {
	it.each([
		['whatsapp/WhatsApp Chat with Mario Rossi.txt', 'whatsapp'],
		['whatsapp/ios/_chat.txt', 'whatsapp'],
		['whatsapp/us-spanish-ampm.txt', 'whatsapp'],
		['whatsapp/group-two-digit-year.txt', 'whatsapp'],
		['whatsapp/year-first.txt', 'whatsapp'],
		['rasa/tracker-moodbot.json', 'rasa'],
		['rasa/tracker-with-bot.json', 'rasa'],
		['rasa/trackers-list.json', 'rasa'],
		['rasa/events-array.json', 'rasa'],
		['rasa/bare-events.json', 'rasa'],
		['rasa/events.sql', 'rasa'],
		['rasa/truncated.json', 'rasa'],
		['telegram/result.json', 'telegram'],
		['telegram/full-export.json', 'telegram'],
		['telegram/minimal.json', 'telegram'],
		['telegram/old-export.json', 'telegram'],
		['telegram/truncated.json', 'telegram'],
		['slack/export/general/2024-03-15.json', 'slack'],
	])('%s → %s', async (path, id) => {
		expect((await detectFormat(fixture(path))).reader.id).toBe(id);
	});

	it.each([
		['slack', 'slack'],
		['whatsapp', 'whatsapp'],
		['whatsapp-android', 'whatsapp'],
		['telegram', 'telegram'],
	])('ZIP %s → %s', async (key, id) => {
		expect((await detectFormat(zips[key]!)).reader.id).toBe(id);
	});

	it('Rasa NLU training data is recognised and refused with a reason', async () => {
		await expect(detectFormat(fixture('rasa/nlu.json'))).rejects.toThrow(/training data/);
	});

	it('a letter in a .txt is not taken for a chat', async () => {
		await expect(detectFormat(fixture('whatsapp/broken.txt'))).rejects.toThrow(/not recognised/);
	});
});
