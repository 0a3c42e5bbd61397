/** Telegram Desktop `text`: a plain string, or an array of strings and `{type, text, href?}` entities. */
import {isRecord, str} from './json-file.js';

export function flattenTelegramText(text: unknown): string {
	if (typeof text === 'string') return text;
	if (!Array.isArray(text)) return '';
	return text
		.map((part) => {
			if (typeof part === 'string') return part;
			if (!isRecord(part)) return '';
			const value = str(part['text']) ?? '';
			const href = str(part['href']);
			// A link whose label differs from its target keeps the target: `label (https://…)`.
			return part['type'] === 'text_link' && href && href !== value ? `${value} (${href})` : value;
		})
		.join('');
}
