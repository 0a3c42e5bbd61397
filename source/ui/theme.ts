/**
 * Semantic colours and symbols. Colour is never the only signal (every status also has a word or a symbol), and
 * NO_COLOR / --no-color / TERM=dumb (mapped to FORCE_COLOR=0 by the entry point) turn colours off. Symbols fall
 * back to ASCII where the terminal cannot show Unicode.
 */
import isUnicodeSupported from 'is-unicode-supported';

const colourless = process.env['FORCE_COLOR'] === '0';
const unicode = isUnicodeSupported();

type Colour = string | undefined;
const c = (name: string): Colour => (colourless ? undefined : name);

export const theme = {
	accent: c('cyan'),
	ok: c('green'),
	warn: c('yellow'),
	err: c('red'),
	muted: c('gray'),
	heading: c('magentaBright'),
};

export const symbols = unicode
	? {ok: '✔', fail: '✖', warn: '⚠', info: 'ℹ', pointer: '❯', bullet: '•', arrowRight: '→', skip: '↷', pause: '⏸', folder: '▸', barFull: '█', barEmpty: '░', ellipsis: '…'}
	: {ok: '+', fail: 'x', warn: '!', info: 'i', pointer: '>', bullet: '*', arrowRight: '->', skip: '-', pause: '||', folder: '>', barFull: '#', barEmpty: '-', ellipsis: '...'};
