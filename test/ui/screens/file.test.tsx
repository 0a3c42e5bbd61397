// The file screen on its own, over a temporary folder: the browser (folders, supported files with their detected
// format, size and date, up and down the tree, all files), the typed path with tab completion, recent files.
import {copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {cleanup} from 'ink-testing-library';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {FileScreen} from '../../../source/ui/screens/file-screen.js';
import {symbols} from '../../../source/ui/theme.js';
import type {WizardState} from '../../../source/ui/wizard/machine.js';
import {KEY} from '../../helpers/render.js';
import {actions, connectedState, linesOf, lineWith, POINTER, pointerOn, reduce, render, resize, settle, spyDispatch, widthOf} from './harness.js';

afterEach(cleanup);

const root = join(import.meta.dirname, '..', '..', '..');
const JSONL = 'Transcript JSONL / NDJSON (native)';
const CSV = 'CSV/TSV, one message per row';
const MTIME = new Date('2024-02-03T04:05:00Z');

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'tdi-file-screen-'));
	mkdirSync(join(dir, 'exports'));
	mkdirSync(join(dir, 'archive'));
	copyFileSync(join(root, 'samples', 'support-chats.jsonl'), join(dir, 'exports', 'chats.jsonl'));
	copyFileSync(join(root, 'samples', 'support-chats.jsonl'), join(dir, 'exports', 'chats-old.jsonl'));
	copyFileSync(join(root, 'samples', 'helpdesk-export.csv'), join(dir, 'helpdesk.csv'));
	writeFileSync(join(dir, 'notes.txt'), 'shopping list: milk, eggs\n');
	writeFileSync(join(dir, '.hidden.jsonl'), '');
	utimesSync(join(dir, 'helpdesk.csv'), MTIME, MTIME);
	utimesSync(join(dir, 'exports', 'chats.jsonl'), MTIME, MTIME);
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

/** Waits until every listed file has its detection result (no "detecting…" left). */
async function detected(app: ReturnType<typeof render>, label = CSV): Promise<string> {
	await app.waitFor(label);
	for (let i = 0; i < 400 && app.frame().includes('detecting…'); i++) await new Promise((r) => setTimeout(r, 20));
	expect(app.frame()).not.toContain('detecting…');
	await settle();
	return app.frame();
}

function mount({recent = [], state = reduce(connectedState(), {type: 'continue'})}: {recent?: string[]; state?: WizardState} = {}) {
	const dispatch = spyDispatch();
	const app = render(<FileScreen state={state} dispatch={dispatch} cwd={dir} recent={recent} />);
	return {app, dispatch};
}

describe('file screen: browsing', () => {
	it('lists folders first, then supported files with detected format, size and date; hidden and unsupported files are left out', async () => {
		const {app} = mount();
		const frame = await detected(app);
		expect(frame).toContain('Which transcript should be imported?');
		expect(frame).toContain('2.[Transcript]');
		expect(linesOf(frame)).toContain(dir); // where we are
		const csv = lineWith(frame, 'helpdesk.csv');
		expect(csv).toMatch(/helpdesk\.csv\s+\d+(\.\d)? KB\s+2024-02-03 04:05\s+CSV\/TSV, one message per row/);
		expect(frame).toContain(`${symbols.folder} archive/`);
		expect(frame).toContain(`${symbols.folder} exports/`);
		expect(frame).toContain('.. (up)');
		expect(frame.indexOf('.. (up)')).toBeLessThan(frame.indexOf('archive/'));
		expect(frame.indexOf('exports/')).toBeLessThan(frame.indexOf('helpdesk.csv'));
		expect(frame).not.toContain('notes.txt');
		expect(frame).not.toContain('.hidden');
		app.unmount();
	});

	it('a shows every file, with why an unsupported one cannot be read; a again hides them', async () => {
		const {app} = mount();
		await app.waitFor(CSV);
		expect(app.frame()).toContain('a all files');
		await app.press('a');
		let frame = await app.waitFor('notes.txt');
		expect(lineWith(frame, 'notes.txt')).toContain('format not recognised');
		expect(frame).toContain('a supported only');
		await app.press('a');
		frame = await app.gone('notes.txt');
		expect(frame).not.toContain('notes.txt');
		expect(frame).toContain('helpdesk.csv');
		app.unmount();
	});

	it('enter opens a folder; ← and backspace go up again', async () => {
		const {app, dispatch} = mount();
		await app.waitFor(CSV);
		await app.press(KEY.down, KEY.down); // .. → archive → exports
		await pointerOn(app, `${symbols.folder} exports/`);
		await app.press(KEY.enter);
		let frame = await detected(app, JSONL);
		expect(linesOf(frame)).toContain(join(dir, 'exports'));
		expect(lineWith(frame, 'chats.jsonl ')).toMatch(/chats\.jsonl\s+\d+(\.\d)? KB\s+2024-02-03 04:05\s+Transcript JSONL/);
		expect(frame).toContain('chats-old.jsonl');
		expect(frame).not.toContain('helpdesk.csv');
		await app.press(KEY.left);
		frame = await app.waitFor('helpdesk.csv');
		expect(linesOf(frame)).toContain(dir);
		await app.press(KEY.down, KEY.down, KEY.enter);
		await app.waitFor('chats-old.jsonl');
		await app.press(KEY.backspace);
		await app.waitFor('helpdesk.csv');
		expect(linesOf(app.frame())).toContain(dir);
		expect(actions(dispatch)).toEqual([]); // browsing chooses nothing
		app.unmount();
	});

	it('enter on ".. (up)" goes to the parent folder', async () => {
		const {app} = mount();
		await app.waitFor(CSV);
		await app.press(KEY.enter);
		await app.waitFor(new RegExp(`^${tmpdir()}$`, 'm'));
		expect(linesOf(app.frame())).not.toContain(dir);
		app.unmount();
	});

	it('enter on a file chooses it (its full path)', async () => {
		const {app, dispatch} = mount();
		await app.waitFor(CSV);
		await app.press(KEY.down, KEY.down, KEY.down);
		await pointerOn(app, 'helpdesk.csv');
		await app.press(KEY.enter);
		expect(actions(dispatch)).toEqual([{type: 'file-chosen', path: join(dir, 'helpdesk.csv')}]);
		app.unmount();
	});

	it('esc goes back to the connection', async () => {
		const {app, dispatch} = mount();
		await app.press(KEY.esc);
		expect(actions(dispatch)).toEqual([{type: 'back'}]);
		app.unmount();
	});

	it('the last scan error is shown', () => {
		const state = reduce(connectedState(), {type: 'continue'}, {type: 'file-chosen', path: 'missing.json'}, {type: 'scan-failed', error: 'missing.json: no such file or folder'});
		const {app} = mount({state});
		expect(app.frame()).toContain(`${symbols.fail} missing.json: no such file or folder`);
		app.unmount();
	});

	it('at 80 columns every file stays on one line, so the list fits the terminal', async () => {
		const {app} = mount();
		resize(app.stdout, 80, 24);
		await app.until((f) => linesOf(f)[1] === '6.Summary', 'the header wraps at 80 columns (the resize is seen)');
		await app.waitFor(CSV.slice(0, 10));
		await app.press(KEY.down, KEY.down, KEY.enter);
		const frame = await app.waitFor(/chats\.jsonl .*Transcript/);
		for (const line of linesOf(frame)) expect(widthOf(line)).toBeLessThanOrEqual(80);
		// Each entry is exactly one line: between the folder line and the key hints there is nothing but the rows.
		const lines = linesOf(frame);
		const list = lines.slice(lines.indexOf(join(dir, 'exports')) + 1, lines.findIndex((l) => l.startsWith('↑↓')) - 1);
		expect(list).toHaveLength(3);
		expect(list[0]).toMatch(/^[❯>] \.\. \(up\)$/);
		expect(list[1]).toMatch(/^ {2}chats-old\.jsonl +\d+ KB {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}Transcript/);
		expect(list[2]).toMatch(/^ {2}chats\.jsonl +\d+ KB {2}2024-02-03 04:05 {2}Transcript/);
		expect(lines.length).toBeLessThan(24);
		app.unmount();
	});
});

describe('file screen: typing a path', () => {
	it('/ opens a path field; tab completes folders and files (longest common part first); enter chooses', async () => {
		const {app, dispatch} = mount();
		await app.waitFor(CSV);
		await app.press('/');
		let frame = await app.waitFor('Path:');
		expect(frame).toContain('tab complete');
		await app.type('exp');
		await app.press(KEY.tab);
		expect(lineWith(await app.waitFor('Path: exports/'), 'Path:')).toContain('Path: exports/');
		await app.type('c');
		await app.press(KEY.tab); // chats.jsonl and chats-old.jsonl: only the common part
		expect(lineWith(await app.waitFor('Path: exports/chats'), 'Path:')).toMatch(/Path: exports\/chats(?![.-])/);
		await app.type('.');
		await app.press(KEY.tab);
		frame = await app.waitFor('Path: exports/chats.jsonl');
		expect(lineWith(frame, 'Path:')).toContain('Path: exports/chats.jsonl');
		expect(actions(dispatch)).toEqual([]);
		await app.press(KEY.enter);
		expect(actions(dispatch)).toEqual([{type: 'file-chosen', path: 'exports/chats.jsonl'}]);
		app.unmount();
	});

	it('tab with nothing matching leaves the path as typed', async () => {
		const {app} = mount();
		await app.press('/');
		await app.waitFor('Path:');
		await app.type('zzz');
		await app.waitFor('Path: zzz');
		await app.press(KEY.tab);
		expect(lineWith(app.frame(), 'Path:')).toMatch(/Path: zzz(?!\S)/);
		app.unmount();
	});

	it('keys typed into the path are text, not browser commands; esc returns to the browser without going back', async () => {
		const {app, dispatch} = mount();
		await app.waitFor(CSV);
		await app.press('/');
		await app.waitFor('Path:');
		await app.type('a/');
		expect(lineWith(await app.waitFor('Path: a/'), 'Path:')).toContain('Path: a/');
		expect(app.frame()).not.toContain('notes.txt'); // "a" did not toggle all files
		await app.press(KEY.esc);
		const frame = await app.gone('Path:');
		expect(frame).toContain('/ type a path');
		expect(actions(dispatch)).toEqual([]);
		app.unmount();
	});

	it('an empty path is not chosen', async () => {
		const {app, dispatch} = mount();
		await app.press('/');
		await app.waitFor('Path:');
		await app.type('   ');
		await app.press(KEY.enter);
		expect(actions(dispatch)).toEqual([]);
		app.unmount();
	});

	it('inside a folder the path starts there', async () => {
		const {app, dispatch} = mount();
		await app.waitFor(CSV);
		await app.press(KEY.down, KEY.down, KEY.enter);
		await app.waitFor('chats-old.jsonl');
		await app.press('/');
		await app.waitFor('Path:');
		expect(lineWith(app.frame(), 'Path:')).toContain(`Path: ${join(dir, 'exports')}/`);
		await app.type('chats-');
		await app.press(KEY.tab, KEY.enter);
		expect(actions(dispatch)).toEqual([{type: 'file-chosen', path: join(dir, 'exports', 'chats-old.jsonl')}]);
		app.unmount();
	});
});

describe('file screen: recent files', () => {
	it('the recent files come first (at most 5) with the pointer on the newest; enter chooses one', async () => {
		const recent = ['exports/chats.jsonl', 'old/a.json', 'old/b.json', 'old/c.json', 'old/d.json', 'old/e.json'];
		const {app, dispatch} = mount({recent});
		const frame = await app.waitFor(CSV);
		expect(lineWith(frame, 'recent: exports/chats.jsonl')).toMatch(POINTER);
		for (const r of recent.slice(0, 5)) expect(frame).toContain(`recent: ${r}`);
		expect(frame).not.toContain('old/e.json');
		expect(frame.indexOf('recent: old/d.json')).toBeLessThan(frame.indexOf('.. (up)'));
		await app.press(KEY.down, KEY.enter);
		expect(actions(dispatch)).toEqual([{type: 'file-chosen', path: 'old/a.json'}]);
		app.unmount();
	});

	it('recent files are only listed in the starting folder', async () => {
		const {app} = mount({recent: ['exports/chats.jsonl']});
		await app.waitFor(CSV);
		await app.press(KEY.down, KEY.down, KEY.down, KEY.enter); // recent, .., archive, exports
		const frame = await app.waitFor('chats-old.jsonl');
		expect(frame).not.toContain('recent:');
		app.unmount();
	});
});
