import {describe, expect, it} from 'vitest';
import {attachmentOf} from '../../../source/core/readers/vendor-b/attachments.js';
import {bodyText, decodeEntities, htmlToText} from '../../../source/core/readers/vendor-b/html.js';
import {PrivateNotes} from '../../../source/core/readers/vendor-b/notes.js';
import {stripQuotedHistory} from '../../../source/core/readers/vendor-b/quoted.js';

describe('HTML bodies', () => {
	it('keeps paragraphs and breaks as lines, links as "label (url)", and decodes entities', () => {
		const {text, images} = htmlToText('<div><p>Hi <b>Bob</b>,</p><p>see <a href="https://x.io/t">the tracking</a> &amp; <a href="https://x.io">https://x.io</a><br>bye&nbsp;now</p><ul><li>one</li><li>two</li></ul><h1>Title</h1></div>');
		expect(text).toBe('Hi Bob,\nsee the tracking (https://x.io/t) & https://x.io\nbye now\n * one\n * two\n\nTitle');
		expect(images).toEqual([]);
	});

	it('takes inline images out of the text as attachments, data URIs without their bytes', () => {
		const {text, images} = htmlToText('<p>look <img src="https://cdn.example.com/a/shot.png" alt="shot.png"> and <img src="data:image/png;base64,AAAA"></p>');
		expect(text).toBe('look and');
		expect(images).toEqual([
			{name: 'shot.png', url: 'https://cdn.example.com/a/shot.png'},
			{name: 'inline.png', mimeType: 'image/png', size: 3},
		]);
	});

	it('leaves plain text alone, and decodes entities in plain text without joining its lines', () => {
		expect(bodyText('a < b\nc > d')).toEqual({text: 'a < b\nc > d', images: []});
		expect(bodyText('x &gt; y&nbsp;z\nnext').text).toBe('x > y z\nnext');
		expect(decodeEntities('&#233;&#x1F600;&unknown;&amp;')).toBe('é😀&unknown;&');
	});
});

describe('attachments', () => {
	it('keeps links and metadata; data URIs give name, type and decoded size only', () => {
		expect(attachmentOf({url: 'https://x.example/files/a%20b.pdf?sig=1', mimeType: 'application/pdf', size: 10})).toEqual({name: 'a b.pdf', url: 'https://x.example/files/a%20b.pdf?sig=1', mimeType: 'application/pdf', size: 10});
		expect(attachmentOf({name: 'pic.png', url: 'data:image/png;base64,aGVsbG8='})).toEqual({name: 'pic.png', mimeType: 'image/png', size: 5});
		expect(attachmentOf({})).toBeUndefined();
		expect(attachmentOf({name: 'n.txt', size: -1})).toEqual({name: 'n.txt'});
	});
});

describe('quoted e-mail history', () => {
	it('cuts from the attribution line (English, French, two-line Gmail form) or a trailing quote block', () => {
		expect(stripQuotedHistory('Thanks!\n\nOn Wed, Oct 5, 2022 at 4:19 PM Bessie <b@x.com> wrote:\n> old')).toBe('Thanks!');
		expect(stripQuotedHistory('Merci\nLe jeu. 6 oct. 2022 à 09:00, Jordan <j@x> a écrit :\n> avant')).toBe('Merci');
		expect(stripQuotedHistory('Ok\nOn Wed, Oct 5, 2022 at 4:19 PM Bessie Berry\n<b@x.com> wrote:\n> old')).toBe('Ok');
		expect(stripQuotedHistory('See below\n> quoted\n> more\n')).toBe('See below');
		expect(stripQuotedHistory('-----Original Message-----\nonly a quote')).toBe('-----Original Message-----\nonly a quote');
		expect(stripQuotedHistory('no quote > here')).toBe('no quote > here');
	});
});

describe('private notes', () => {
	it('skips by default and counts; imports when asked', () => {
		const skip = new PrivateNotes({});
		expect([skip.keep(), skip.keep()]).toEqual([false, false]);
		expect(skip.finding('c1', {file: 'f'})).toMatchObject({severity: 'info', code: 'private-note', conversationId: 'c1', message: expect.stringMatching(/^2 private note\(s\) skipped; use --private-notes import/)});
		const imp = new PrivateNotes({privateNotes: 'import'});
		expect(imp.keep()).toBe(true);
		expect(imp.finding('c2', {file: 'f'})!.message).toBe('1 private note(s) imported as messages marked private.');
		expect(new PrivateNotes({}).finding('c3', {file: 'f'})).toBeUndefined();
	});
});
