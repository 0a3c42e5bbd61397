// The wizard reducer, transition by transition: pure, no rendering.
import {describe, expect, it} from 'vitest';
import {FORM_FIELDS, initialState, validateForm, wizardReducer, type Action, type ProfileView, type WizardState} from '../../source/ui/wizard/machine.js';
import type {Plan} from '../../source/core/import/plan.js';
import type {RunOutcome} from '../../source/core/import/engine.js';

const saved: ProfileView = {name: 'Acme', apiUrl: 'https://api.tiledesk.com/v3', projectId: '6b062dde0fe55021d73267f8', email: 'ann@acme.test', tokenStorage: 'keychain'};
const sandbox: ProfileView = {name: 'Sandbox', apiUrl: 'http://127.0.0.1', projectId: '', email: '', tokenStorage: 'none', sandbox: true};

const run = (state: WizardState, ...actions: Action[]) => actions.reduce(wizardReducer, state);
const loaded = () => run(initialState(), {type: 'profiles-loaded', profiles: [sandbox, saved], problems: ['entry 3: bad url']});
const connected = () => run(loaded(), {type: 'choose-profile', name: 'Acme'}, {type: 'connected', view: {projectName: 'Acme', role: 'owner'}});
const previewed = () => run(connected(), {type: 'continue'}, {type: 'file-chosen', path: 'chats.json'}, {type: 'scan-done', scan: {bytesRead: 1, totalBytes: 1, conversations: 3, messages: 9, done: true}});
const outcome = (failed: number): RunOutcome =>
	({
		runId: 'r',
		totals: {} as never,
		stop: {kind: 'completed'},
		results: [{index: 0, sourceId: 'a', requestId: 'x', status: failed ? 'failed' : 'imported', created: true, messages: 1, sent: 1, alreadyPresent: 0, durationMs: 1}],
		report: {conversations: []} as never,
		reportPaths: [],
	}) as RunOutcome;

describe('wizard reducer', () => {
	it('starts on the profiles screen and loads profiles with problems', () => {
		const s = loaded();
		expect(s.step).toBe('profiles');
		expect(s.profiles.map((p) => p.name)).toEqual(['Sandbox', 'Acme']);
		expect(s.profileProblems).toEqual(['entry 3: bad url']);
	});

	it('choosing a profile asks for a connect effect; unknown names change nothing', () => {
		const s = run(loaded(), {type: 'choose-profile', name: 'Acme'});
		expect(s.step).toBe('connecting');
		expect(s.effect).toMatchObject({kind: 'connect', profile: saved});
		expect(run(loaded(), {type: 'choose-profile', name: 'Nope'})).toEqual(loaded());
	});

	it('a profile without a stored token asks for the password, then connects with it', () => {
		let s = run(loaded(), {type: 'choose-profile', name: 'Acme'}, {type: 'connect-failed', error: '', needPassword: true});
		expect(s.step).toBe('password');
		s = run(s, {type: 'password-submitted', password: 'pw'});
		expect(s.effect).toMatchObject({kind: 'connect', password: 'pw'});
		expect(s.effect!.id).toBeGreaterThan(1);
		expect(run(s, {type: 'connect-failed', error: 'The server rejected the credentials.'})).toMatchObject({step: 'password', error: 'The server rejected the credentials.'});
	});

	it('the profile form validates field by field and points at the faulty field', () => {
		let s = run(loaded(), {type: 'new-profile'});
		expect(s.step).toBe('profile-form');
		s = run(s, {type: 'form-change', field: 'name', value: 'acme'}, {type: 'form-submit'});
		expect(s.form!.error).toMatch(/^Name: a profile called "acme" already exists/);
		s = run(s, {type: 'form-change', field: 'name', value: 'Staging'}, {type: 'form-change', field: 'projectId', value: 'xyz'}, {type: 'form-submit'});
		expect(s.form!.error).toMatch(/^Project ID/);
		expect(FORM_FIELDS[s.form!.field]).toBe('projectId');
		s = run(s, {type: 'form-change', field: 'projectId', value: '6B062DDE0FE55021D73267F8'}, {type: 'form-change', field: 'email', value: 'a@b.c'}, {type: 'form-submit'});
		expect(s.form!.error).toMatch(/^Password/);
		s = run(s, {type: 'form-change', field: 'password', value: 'secret'}, {type: 'form-submit'});
		expect(s.step).toBe('connecting');
		expect(s.effect).toMatchObject({kind: 'connect', password: 'secret', saveProfile: true, profile: {name: 'Staging', projectId: '6b062dde0fe55021d73267f8'}});
		// A failed connection goes back to the form with the reason.
		expect(run(s, {type: 'connect-failed', error: 'Project not found.'})).toMatchObject({step: 'profile-form', form: {error: 'Project not found.'}});
		// Success adds the new profile to the list.
		expect(run(s, {type: 'connected', view: {projectName: 'S'}}).profiles.map((p) => p.name)).toContain('Staging');
	});

	it('form navigation is clamped; editing keeps the old name so renames are allowed', () => {
		let s = run(loaded(), {type: 'new-profile'}, {type: 'form-move', delta: -5});
		expect(s.form!.field).toBe(0);
		s = run(s, {type: 'form-move', delta: 99});
		expect(s.form!.field).toBe(FORM_FIELDS.length - 1);
		const edit = run(loaded(), {type: 'edit-profile', name: 'Acme'});
		expect(edit.form).toMatchObject({editing: 'Acme', values: {email: 'ann@acme.test', password: ''}});
		expect(validateForm({...edit.form!, values: {...edit.form!.values, password: 'x'}}, edit.profiles)).toBeUndefined();
		expect(run(loaded(), {type: 'edit-profile', name: 'Sandbox'}).step).toBe('profiles'); // the sandbox is not editable
	});

	it('once connected, the password is no longer held in the state', () => {
		const s = run(loaded(), {type: 'new-profile'});
		const filled = FORM_FIELDS.reduce((acc, field) => run(acc, {type: 'form-change', field, value: {name: 'New', apiUrl: 'https://api.tiledesk.com/v3', dashboardUrl: '', projectId: '6b062dde0fe55021d73267f8', email: 'a@b.test', password: 'hunter2-secret', tokenStorage: 'none'}[field]}), s);
		const connecting = run(filled, {type: 'form-submit'});
		expect(JSON.stringify(connecting)).toContain('hunter2-secret');
		const done = run(connecting, {type: 'connected', view: {projectName: 'P'}});
		expect(done.step).toBe('connected');
		expect(JSON.stringify(done)).not.toContain('hunter2-secret');
	});

	it('a profile that could not be deleted says why', () => {
		expect(run(loaded(), {type: 'profile-delete-failed', name: 'Acme', error: 'EACCES: permission denied'})).toMatchObject({step: 'profiles', error: 'The profile "Acme" could not be deleted: EACCES: permission denied'});
	});

	it('deleting a profile removes it from the list', () => {
		expect(run(loaded(), {type: 'profile-deleted', name: 'Acme'}).profiles.map((p) => p.name)).toEqual(['Sandbox']);
	});

	it('connected → file → scan → preview, or → mapping when the reader needs answers', () => {
		const s = run(connected(), {type: 'continue'});
		expect(s.step).toBe('file');
		const scanning = run(s, {type: 'file-chosen', path: 'chat.txt'});
		expect(scanning).toMatchObject({step: 'scanning', file: 'chat.txt', effect: {kind: 'scan', path: 'chat.txt'}});
		expect(run(scanning, {type: 'scan-failed', error: 'chat.txt: format not recognised'})).toMatchObject({step: 'file', error: 'chat.txt: format not recognised'});
		const mapping = run(scanning, {type: 'scan-done', scan: {bytesRead: 0, totalBytes: 0, conversations: 1, messages: 5, done: true}, mapping: {participants: ['Ann', 'Bob'], dateOrder: true}});
		expect(mapping.step).toBe('mapping');
		const rescan = run(mapping, {type: 'mapping-set', readOptions: {agents: ['Bob'], dateOrder: 'mdy'}});
		expect(rescan).toMatchObject({step: 'scanning', readOptions: {agents: ['Bob'], dateOrder: 'mdy'}, effect: {kind: 'scan', readOptions: {agents: ['Bob'], dateOrder: 'mdy'}}});
		expect(run(scanning, {type: 'scan-done', scan: {bytesRead: 0, totalBytes: 0, conversations: 1, messages: 5, done: true}, mapping: {participants: []}}).step).toBe('preview');
	});

	it('a big native file opens at its first page while it is still read; continue waits for the end of the scan', () => {
		const scanning = run(connected(), {type: 'continue'}, {type: 'file-chosen', path: 'big.csv'});
		const early = run(scanning, {type: 'scan-ready'});
		expect(early.step).toBe('preview');
		const reading = run(early, {type: 'scan-progress', scan: {bytesRead: 10, totalBytes: 100, conversations: 50, messages: 400, done: false}});
		expect(reading).toMatchObject({step: 'preview', scan: {conversations: 50, done: false}});
		expect(run(reading, {type: 'continue'}).step).toBe('preview'); // not yet: the plan needs the whole file checked
		const done = run(reading, {type: 'scan-done', scan: {bytesRead: 100, totalBytes: 100, conversations: 900, messages: 7000, done: true}});
		expect(done).toMatchObject({step: 'preview', scan: {conversations: 900, done: true}});
		expect(run(done, {type: 'continue'}).step).toBe('options');
		// Too late to matter once the user moved on (back to the file list): neither moves the wizard.
		const left = run(reading, {type: 'back'});
		expect(left.step).toBe('file');
		expect(run(left, {type: 'scan-ready'}).step).toBe('file');
		expect(run(left, {type: 'scan-done', scan: {bytesRead: 100, totalBytes: 100, conversations: 900, messages: 7000, done: true}}).step).toBe('file');
	});

	it('options: modes, demo size, side effects; continue plans; the plan is confirmed before importing', () => {
		let s = run(previewed(), {type: 'continue'});
		expect(s.step).toBe('options');
		s = run(s, {type: 'mode-set', mode: 'demo', demoCount: 0}, {type: 'option-set', options: {close: true, requesterEmail: 'keep'}});
		expect(s).toMatchObject({mode: 'demo', demoCount: 1, options: {close: true, requesterEmail: 'keep'}});
		s = run(s, {type: 'continue'});
		expect(s).toMatchObject({step: 'planning', effect: {kind: 'plan'}});
		expect(run(s, {type: 'plan-failed', error: 'boom'})).toMatchObject({step: 'options', error: 'boom'});
		s = run(s, {type: 'plan-ready', plan: {conversations: 1} as Plan});
		expect(s.step).toBe('confirm');
		s = run(s, {type: 'start-import'});
		expect(s).toMatchObject({step: 'importing', effect: {kind: 'import', options: {limit: 1, dryRun: false, close: true}}});
		expect(run(s, {type: 'start-import'})).toBe(s); // only from the confirmation
	});

	it('a dry run asks the engine for dryRun', () => {
		const s = run(previewed(), {type: 'continue'}, {type: 'mode-set', mode: 'dry-run'}, {type: 'continue'}, {type: 'plan-ready', plan: {} as Plan}, {type: 'start-import'});
		expect(s.effect).toMatchObject({kind: 'import', options: {dryRun: true}});
		expect((s.effect as {options: {limit?: number}}).options.limit).toBeUndefined();
	});

	it('summary: retry failed only when something failed; undo only with a report', () => {
		const done = run(previewed(), {type: 'continue'}, {type: 'continue'}, {type: 'plan-ready', plan: {} as Plan}, {type: 'start-import'});
		const ok = run(done, {type: 'import-finished', outcome: outcome(0)});
		expect(ok.step).toBe('summary');
		const retried = run(run(done, {type: 'import-finished', outcome: outcome(1)}), {type: 'retry-failed'});
		expect(retried).toMatchObject({step: 'importing', effect: {kind: 'import', retryFailed: true}});
		expect(run(ok, {type: 'undo'})).toMatchObject({step: 'undoing', effect: {kind: 'undo'}});
		expect(run(ok, {type: 'undo'}, {type: 'undo-finished', deleted: 1, failed: 0})).toMatchObject({step: 'summary', undone: {deleted: 1, failed: 0}});
		expect(run(done, {type: 'import-failed', error: 'x'})).toMatchObject({step: 'summary', error: 'x'});
	});

	it('back goes one screen back and drops a pending effect; screens without a way back ignore it', () => {
		expect(run(connected(), {type: 'continue'}, {type: 'back'}).step).toBe('connected');
		expect(run(previewed(), {type: 'back'}).step).toBe('file');
		const planning = run(previewed(), {type: 'continue'}, {type: 'continue'});
		expect(run(planning, {type: 'back'})).toBe(planning);
		expect(run(loaded(), {type: 'back'})).toEqual(loaded());
	});
});
