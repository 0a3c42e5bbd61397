/**
 * HTML message bodies (Zendesk `html_body`, Intercom `body`, Freshdesk `body`) → plain chat text, through
 * html-to-text: paragraphs and `<br>` become line breaks, links `label (url)` like the vendor-a readers, lists
 * ` * item`, entities decoded. Inline images are not written into the text: they are returned as attachments
 * (a `data:` image keeps only its name and MIME type, never its bytes).
 */
import {compile} from 'html-to-text';
import type {Attachment} from '../../model/transcript.js';
import {attachmentOf} from './attachments.js';

let images: Attachment[] = [];

const convert = compile({
	wordwrap: false,
	formatters: {
		collectImage(elem: {attribs?: Record<string, string>}) {
			const src = elem.attribs?.['src'] ?? '';
			const alt = elem.attribs?.['alt']?.trim() || undefined;
			const a = attachmentOf({...(alt ? {name: alt} : {}), url: src});
			if (a) images.push(a);
		},
	},
	selectors: [
		{selector: 'a', options: {linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true, ignoreHref: false}},
		{selector: 'img', format: 'collectImage'},
		{selector: 'p', options: {leadingLineBreaks: 1, trailingLineBreaks: 1}},
		{selector: 'div', options: {leadingLineBreaks: 1, trailingLineBreaks: 1}},
		{selector: 'blockquote', options: {leadingLineBreaks: 1, trailingLineBreaks: 1, trimEmptyLines: true}},
		{selector: 'h1', options: {uppercase: false, leadingLineBreaks: 1, trailingLineBreaks: 1}},
		{selector: 'h2', options: {uppercase: false, leadingLineBreaks: 1, trailingLineBreaks: 1}},
		{selector: 'h3', options: {uppercase: false, leadingLineBreaks: 1, trailingLineBreaks: 1}},
		{selector: 'h4', options: {uppercase: false, leadingLineBreaks: 1, trailingLineBreaks: 1}},
		{selector: 'table', format: 'dataTable', options: {uppercaseHeaderCells: false}},
	],
});

/** Plain text of an HTML fragment, and the images it held. */
export function htmlToText(html: string): {text: string; images: Attachment[]} {
	images = [];
	const text = tidy(convert(html));
	const found = images;
	images = [];
	return {text, images: found};
}

/** Whether a body is HTML (a tag or an entity), so plain bodies keep their own line breaks and spacing. */
export function looksLikeHtml(text: string): boolean {
	return /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/i.test(text) || /&(?:[a-z]{2,8}|#\d{1,6}|#x[0-9a-f]{1,6});/i.test(text);
}

/** Text of a body that may be HTML or plain (plain text is kept as written). */
export function bodyText(body: string): {text: string; images: Attachment[]} {
	if (!looksLikeHtml(body)) return {text: body.trim(), images: []};
	if (!/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/i.test(body)) return {text: decodeEntities(body).trim(), images: []};
	return htmlToText(body);
}

const NAMED: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…', laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', euro: '€', copy: '©', reg: '®', trade: '™', deg: '°', middot: '·', bull: '•', times: '×', eacute: 'é', egrave: 'è', agrave: 'à', ugrave: 'ù', ograve: 'ò', igrave: 'ì', ccedil: 'ç', uuml: 'ü', ouml: 'ö', auml: 'ä', szlig: 'ß', ntilde: 'ñ'};

/** Decodes HTML entities in plain text (Zendesk `plain_body` holds `&gt;` and `&nbsp;`); unknown names stay as written. */
export function decodeEntities(text: string): string {
	return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, code: string) => {
		if (code.startsWith('#')) {
			const n = code[1] === 'x' || code[1] === 'X' ? Number.parseInt(code.slice(2), 16) : Number(code.slice(1));
			return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? (n === 0xa0 ? ' ' : String.fromCodePoint(n)) : whole;
		}
		return NAMED[code.toLowerCase()] ?? whole;
	});
}

function tidy(text: string): string {
	return text
		.replace(/\u00a0/g, ' ')
		.replace(/[ \t]+\n/g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
