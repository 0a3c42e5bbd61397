/**
 * Dialogflow files recognised and refused with a reason (formats.md §11): agent exports are training data, not
 * conversations, and Dialogflow ES has no transcript export. Recognised: the ES agent ZIP (`agent.json`,
 * `package.json`, `intents/`, `entities/`), the CX agent export (`agent.json` with `flows/`), a loose ES
 * `agent.json`, intent (`responses`, `userSays`) and `*_usersays_*` training-phrase files, entity files, and CX
 * interaction-log rows exported from BigQuery (`conversation_name`, `turn_position`), whose mapping is not verified
 * yet. Reading one (with `--format dialogflow`) gives the same reason as an `unsupported-format` error.
 */
import {basename} from 'node:path';
import type {ReadItem} from '../../model/draft.js';
import type {Detection, FormatReader, Probe} from '../types.js';
import {makeProbe} from '../probe.js';
import {jsonStart} from './common.js';

const AGENT =
	'This is a Dialogflow agent export (intents, entities and settings: training data, not conversations), so there is nothing to import. Dialogflow ES keeps no conversation history you can export; export the conversations from the channel the bot ran on (e.g. Tiledesk, WhatsApp, Telegram) or from your own webhook logs.';
const INTENT = 'This is a Dialogflow intent or training-phrase file (part of an agent export: training data, not conversations). Export conversations from the channel the bot ran on instead.';
const ENTITY = 'This is a Dialogflow entity file (part of an agent export: training data, not conversations). Export conversations from the channel the bot ran on instead.';
const CX_LOGS =
	'These are Dialogflow CX interaction logs exported from BigQuery (conversation_name, turn_position). They are conversations, but this importer cannot read them yet; convert each turn to two rows (user query, bot reply) of the native CSV or JSONL format.';

function detect(probe: Probe): Detection {
	if (probe.zipEntries) {
		const names = probe.zipEntries.map((n) => n.replace(/^[^/]+\/(?=agent\.json$|intents\/|entities\/|flows\/|entityTypes\/)/, ''));
		const agent = names.includes('agent.json');
		const es = names.some((n) => n.startsWith('intents/') || n.startsWith('entities/')) || names.includes('package.json');
		const cx = names.some((n) => n.startsWith('flows/') || n.startsWith('entityTypes/'));
		if (agent && (es || cx)) return {confidence: 0.95, reason: `Dialogflow ${cx ? 'CX' : 'ES'} agent export (agent.json, ${cx ? 'flows/' : 'intents/'})`, unsupported: AGENT};
		return {confidence: 0, reason: 'ZIP without a Dialogflow agent.json'};
	}
	const t = probe.headText;
	const start = jsonStart(t);
	if (!start) return {confidence: 0, reason: 'not JSON'};
	if (start === '{' && /"(supportedLanguages|defaultTimezone|enableOnePlatformApi|mlMinConfidence|onePlatformApiVersion)"\s*:/.test(t) && /"language"\s*:/.test(t)) {
		return {confidence: 0.9, reason: 'Dialogflow ES agent.json', unsupported: AGENT};
	}
	if (start === '{' && /"defaultLanguageCode"\s*:/.test(t) && /"(startFlow|timeZone)"\s*:/.test(t)) return {confidence: 0.85, reason: 'Dialogflow CX agent.json', unsupported: AGENT};
	if (start === '{' && /"responses"\s*:\s*\[/.test(t) && /"(affectedContexts|webhookUsed|fallbackIntent|userSays)"\s*:/.test(t)) return {confidence: 0.85, reason: 'Dialogflow intent', unsupported: INTENT};
	if (start === '[' && /"data"\s*:\s*\[/.test(t) && /"userDefined"\s*:/.test(t) && /"isTemplate"\s*:/.test(t)) return {confidence: 0.85, reason: 'Dialogflow training phrases (usersays)', unsupported: INTENT};
	if (start === '{' && /"isEnum"\s*:/.test(t) && /"automatedExpansion"\s*:/.test(t)) return {confidence: 0.85, reason: 'Dialogflow entity', unsupported: ENTITY};
	if (/"conversation_name"\s*:/.test(t) && /"turn_position"\s*:/.test(t)) return {confidence: 0.85, reason: 'Dialogflow CX BigQuery interaction logs', unsupported: CX_LOGS};
	return {confidence: 0, reason: 'no Dialogflow keys'};
}

async function* read(path: string): AsyncIterable<ReadItem> {
	let reason: string | undefined;
	try {
		reason = detect(await makeProbe(path)).unsupported;
	} catch {
		reason = undefined;
	}
	yield {
		kind: 'finding',
		finding: {
			severity: 'error',
			code: 'unsupported-format',
			message: reason ? `${basename(path)}: ${reason}` : `${basename(path)} is not a Dialogflow file this importer recognises; Dialogflow agent exports hold no conversations.`,
			location: {file: path},
		},
	};
}

export const dialogflowReader: FormatReader = {
	id: 'dialogflow',
	label: 'Dialogflow agent export (not importable)',
	extensions: ['zip', 'json'],
	detect,
	read,
};
