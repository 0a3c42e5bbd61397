/**
 * The wizard as one pure reducer. `step` says which single screen is mounted; `effect` asks the effect runner
 * (./use-wizard.ts) for the one piece of I/O the step needs (connect, scan the file, plan, import); results come
 * back as actions. Nothing here touches the network, the disk or React.
 */
import type {RunOutcome} from '../../core/import/engine.js';
import type {ImportOptionsInput} from '../../core/import/options.js';
import type {Plan} from '../../core/import/plan.js';
import type {ReadOptions} from '../../core/readers/types.js';

export const DEFAULT_API_URL = 'https://api.tiledesk.com/v3';

export interface ProfileView {
	name: string;
	apiUrl: string;
	dashboardUrl?: string;
	projectId: string;
	email: string;
	tokenStorage: 'keychain' | 'file' | 'none';
	/** The built-in local sandbox. */
	sandbox?: boolean;
}

export interface ConnectedView {
	projectName: string;
	plan?: string;
	role?: string;
	monthlyLimit?: number;
	quotaUsed?: number;
	tokenStoredIn?: 'keychain' | 'file' | 'none';
}

export interface FormState {
	/** The name of the profile being edited (undefined: a new one). */
	editing?: string;
	values: {name: string; apiUrl: string; dashboardUrl: string; projectId: string; email: string; password: string; tokenStorage: 'keychain' | 'file' | 'none'};
	field: number;
	error?: string;
}

export const FORM_FIELDS = ['name', 'apiUrl', 'dashboardUrl', 'projectId', 'email', 'password', 'tokenStorage'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export interface ScanView {
	bytesRead: number;
	totalBytes: number;
	conversations: number;
	messages: number;
	done: boolean;
}

/** What the reader needs to be told before the preview makes sense (formats that cannot tell by themselves). */
export interface MappingNeeds {
	/** Participants of a chat export whose business side is unknown (WhatsApp, Telegram, Slack). */
	participants?: string[];
	/** Dates like 03/04/25 that the file does not disambiguate. */
	dateOrder?: boolean;
}

export type Effect =
	| {id: number; kind: 'connect'; profile: ProfileView; password?: string; saveProfile?: boolean}
	| {id: number; kind: 'scan'; path: string; readOptions: ReadOptions}
	| {id: number; kind: 'plan'}
	| {id: number; kind: 'import'; options: ImportOptionsInput; retryFailed?: boolean}
	| {id: number; kind: 'undo'};

export type Step =
	| 'profiles'
	| 'profile-form'
	| 'password'
	| 'connecting'
	| 'connected'
	| 'file'
	| 'scanning'
	| 'mapping'
	| 'preview'
	| 'options'
	| 'planning'
	| 'confirm'
	| 'importing'
	| 'summary'
	| 'undoing';

export interface WizardState {
	step: Step;
	profiles: ProfileView[];
	profileProblems: string[];
	profile?: ProfileView;
	form?: FormState;
	connected?: ConnectedView;
	error?: string;
	file?: string;
	format?: {id: string; label: string; reason: string};
	readOptions: ReadOptions;
	scan?: ScanView;
	mapping?: MappingNeeds;
	options: ImportOptionsInput;
	/** The import mode chosen on the options screen. */
	mode: 'import' | 'dry-run' | 'demo';
	demoCount: number;
	plan?: Plan;
	outcome?: RunOutcome;
	undone?: {deleted: number; failed: number; message?: string};
	effect?: Effect;
	nextEffectId: number;
}

export type Action =
	| {type: 'profiles-loaded'; profiles: ProfileView[]; problems: string[]}
	| {type: 'choose-profile'; name: string}
	| {type: 'new-profile'}
	| {type: 'edit-profile'; name: string}
	| {type: 'form-change'; field: FormField; value: string}
	| {type: 'form-move'; delta: number}
	| {type: 'form-submit'}
	| {type: 'form-invalid'; error: string}
	| {type: 'profile-deleted'; name: string}
	| {type: 'profile-delete-failed'; name: string; error: string}
	| {type: 'password-submitted'; password: string}
	| {type: 'connected'; view: ConnectedView; profile?: ProfileView}
	| {type: 'connect-failed'; error: string; needPassword?: boolean}
	| {type: 'continue'}
	| {type: 'back'}
	| {type: 'file-chosen'; path: string}
	| {type: 'scan-progress'; scan: ScanView; format?: WizardState['format']}
	/** The first page is there (a big native file is still being read): the preview shows what is found so far. */
	| {type: 'scan-ready'}
	| {type: 'scan-done'; scan: ScanView; mapping?: MappingNeeds}
	| {type: 'scan-failed'; error: string}
	| {type: 'mapping-set'; readOptions: ReadOptions}
	| {type: 'option-set'; options: Partial<ImportOptionsInput>}
	| {type: 'mode-set'; mode: WizardState['mode']; demoCount?: number}
	| {type: 'plan-ready'; plan: Plan}
	| {type: 'plan-failed'; error: string}
	| {type: 'start-import'}
	| {type: 'import-finished'; outcome: RunOutcome}
	| {type: 'import-failed'; error: string}
	| {type: 'retry-failed'}
	| {type: 'undo'}
	| {type: 'undo-finished'; deleted: number; failed: number; message?: string};

export function initialState(init: {file?: string; readOptions?: ReadOptions; options?: ImportOptionsInput} = {}): WizardState {
	return {
		step: 'profiles',
		profiles: [],
		profileProblems: [],
		readOptions: init.readOptions ?? {},
		options: init.options ?? {},
		mode: 'import',
		demoCount: 5,
		nextEffectId: 1,
		...(init.file ? {file: init.file} : {}),
	};
}

function withEffect(state: WizardState, effect: DistributiveOmit<Effect, 'id'>): WizardState {
	return {...state, effect: {...effect, id: state.nextEffectId} as Effect, nextEffectId: state.nextEffectId + 1};
}
type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

const emptyForm = (): FormState => ({values: {name: '', apiUrl: DEFAULT_API_URL, dashboardUrl: '', projectId: '', email: '', password: '', tokenStorage: 'keychain'}, field: 0});

/** Validation of the profile form; returns the first problem as a sentence naming the field. */
export function validateForm(form: FormState, existing: ProfileView[]): string | undefined {
	const v = form.values;
	if (!v.name.trim()) return 'Name: give the profile a name (e.g. "Acme production").';
	if (existing.some((p) => p.name.toLowerCase() === v.name.trim().toLowerCase() && p.name !== form.editing)) return `Name: a profile called "${v.name.trim()}" already exists.`;
	try {
		const u = new URL(v.apiUrl.trim());
		if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('protocol');
	} catch {
		return 'API URL: expected something like https://api.tiledesk.com/v3';
	}
	if (v.dashboardUrl.trim()) {
		try {
			new URL(v.dashboardUrl.trim());
		} catch {
			return 'Dashboard URL: expected something like https://panel.tiledesk.com/v3/dashboard (or leave it empty)';
		}
	}
	if (!/^[0-9a-f]{24}$/i.test(v.projectId.trim())) return 'Project ID: 24 hexadecimal characters, as in the dashboard URL …/#/project/<id>/…';
	if (!/^[^@\s]+@[^@\s]+$/.test(v.email.trim())) return 'E-mail: the address you sign in to Tiledesk with.';
	if (!v.password) return 'Password: needed to sign in (it is never stored).';
	return undefined;
}

export function formProfile(form: FormState): ProfileView {
	const v = form.values;
	return {
		name: v.name.trim(),
		apiUrl: v.apiUrl.trim().replace(/\/+$/, ''),
		...(v.dashboardUrl.trim() ? {dashboardUrl: v.dashboardUrl.trim()} : {}),
		projectId: v.projectId.trim().toLowerCase(),
		email: v.email.trim(),
		tokenStorage: v.tokenStorage,
	};
}

const BACK: Partial<Record<Step, Step>> = {
	'profile-form': 'profiles',
	password: 'profiles',
	connected: 'profiles',
	file: 'connected',
	mapping: 'file',
	preview: 'file',
	options: 'preview',
	confirm: 'options',
};

export function wizardReducer(state: WizardState, action: Action): WizardState {
	switch (action.type) {
		case 'profiles-loaded':
			return {...state, profiles: action.profiles, profileProblems: action.problems};
		case 'choose-profile': {
			const profile = state.profiles.find((p) => p.name === action.name);
			if (!profile) return state;
			const {error: _e, ...rest} = state;
			return withEffect({...rest, profile, step: 'connecting'}, {kind: 'connect', profile});
		}
		case 'new-profile':
			return {...state, step: 'profile-form', form: emptyForm()};
		case 'edit-profile': {
			const p = state.profiles.find((x) => x.name === action.name && !x.sandbox);
			if (!p) return state;
			return {...state, step: 'profile-form', form: {editing: p.name, field: 5, values: {name: p.name, apiUrl: p.apiUrl, dashboardUrl: p.dashboardUrl ?? '', projectId: p.projectId, email: p.email, password: '', tokenStorage: p.tokenStorage}}};
		}
		case 'form-change': {
			if (!state.form) return state;
			const {error: _e, ...form} = state.form;
			return {...state, form: {...form, values: {...form.values, [action.field]: action.value}}};
		}
		case 'form-move': {
			if (!state.form) return state;
			const field = Math.min(FORM_FIELDS.length - 1, Math.max(0, state.form.field + action.delta));
			return {...state, form: {...state.form, field}};
		}
		case 'form-invalid':
			return state.form ? {...state, form: {...state.form, error: action.error}} : state;
		case 'form-submit': {
			if (!state.form) return state;
			const error = validateForm(state.form, state.profiles);
			if (error) {
				const field = FORM_FIELDS.findIndex((f) => error.toLowerCase().startsWith(LABELS[f].toLowerCase()));
				return {...state, form: {...state.form, error, field: field >= 0 ? field : state.form.field}};
			}
			const profile = formProfile(state.form);
			const {error: _e, ...rest} = state;
			return withEffect({...rest, profile, step: 'connecting'}, {kind: 'connect', profile, password: state.form.values.password, saveProfile: true});
		}
		case 'profile-deleted':
			return {...state, profiles: state.profiles.filter((p) => p.name !== action.name)};
		case 'profile-delete-failed':
			return {...state, error: `The profile "${action.name}" could not be deleted: ${action.error}`};
		case 'password-submitted':
			if (!state.profile) return state;
			return withEffect({...state, step: 'connecting'}, {kind: 'connect', profile: state.profile, password: action.password});
		case 'connected': {
			// The finished connect effect carried the password: it is dropped (effect ids only grow: nothing runs again).
			const {error: _e, form: _f, effect, ...rest} = state;
			const profile = action.profile ?? state.profile;
			const profiles = profile && !profile.sandbox && !state.profiles.some((p) => p.name === profile.name) ? [...state.profiles, profile] : state.profiles;
			return {...rest, ...(effect && effect.kind !== 'connect' ? {effect} : {}), profiles, ...(profile ? {profile} : {}), connected: action.view, step: 'connected'};
		}
		case 'connect-failed':
			if (state.form) return {...state, step: 'profile-form', form: {...state.form, error: action.error}};
			if (action.needPassword) return {...state, step: 'password', ...(action.error ? {error: action.error} : {})};
			return {...state, step: 'password', error: action.error};
		case 'continue':
			switch (state.step) {
				case 'connected':
					return {...state, step: 'file'};
				case 'mapping':
					return {...state, step: 'options'};
				case 'preview':
					// The plan needs the whole file read and checked.
					return state.scan?.done ? {...state, step: 'options'} : state;
				case 'options': {
					const {plan: _p, ...rest} = state;
					return withEffect({...rest, step: 'planning'}, {kind: 'plan'});
				}
				default:
					return state;
			}
		case 'back': {
			const to = BACK[state.step];
			if (!to) return state;
			const {error: _e, effect: _x, ...rest} = state;
			return {...rest, step: to};
		}
		case 'file-chosen': {
			const {error: _e, scan: _s, format: _f, mapping: _m, ...rest} = state;
			return withEffect({...rest, file: action.path, step: 'scanning'}, {kind: 'scan', path: action.path, readOptions: state.readOptions});
		}
		case 'scan-progress':
			return {...state, scan: action.scan, ...(action.format ? {format: action.format} : {})};
		case 'scan-ready':
			return state.step === 'scanning' ? {...state, step: 'preview'} : state;
		case 'scan-done': {
			if (state.step !== 'scanning' && state.step !== 'preview') return state;
			const needs = action.mapping && (action.mapping.participants?.length || action.mapping.dateOrder) ? action.mapping : undefined;
			return {...state, scan: action.scan, step: needs ? 'mapping' : 'preview', ...(needs ? {mapping: needs} : {})};
		}
		case 'scan-failed':
			return {...state, step: 'file', error: action.error};
		case 'mapping-set': {
			const readOptions = {...state.readOptions, ...action.readOptions};
			const {mapping: _m, ...rest} = state;
			return withEffect({...rest, readOptions, step: 'scanning'}, {kind: 'scan', path: state.file!, readOptions});
		}
		case 'option-set':
			return {...state, options: {...state.options, ...action.options}};
		case 'mode-set':
			return {...state, mode: action.mode, ...(action.demoCount !== undefined ? {demoCount: Math.max(1, action.demoCount)} : {})};
		case 'plan-ready':
			return {...state, plan: action.plan, step: 'confirm'};
		case 'plan-failed':
			return {...state, step: 'options', error: action.error};
		case 'start-import': {
			if (state.step !== 'confirm') return state;
			const options: ImportOptionsInput = {...state.options, dryRun: state.mode === 'dry-run', ...(state.mode === 'demo' ? {limit: state.demoCount} : {})};
			if (state.mode !== 'demo') delete options.limit;
			const {outcome: _o, error: _e, ...rest} = state;
			return withEffect({...rest, step: 'importing'}, {kind: 'import', options});
		}
		case 'import-finished':
			return {...state, outcome: action.outcome, step: 'summary'};
		case 'import-failed':
			return {...state, step: 'summary', error: action.error};
		case 'retry-failed': {
			if (state.step !== 'summary' || !state.outcome) return state;
			const {outcome: _o, error: _e, ...rest} = state;
			return withEffect({...rest, step: 'importing'}, {kind: 'import', options: {...state.options, dryRun: false}, retryFailed: true});
		}
		case 'undo':
			if (state.step !== 'summary' || !state.outcome?.report) return state;
			return withEffect({...state, step: 'undoing'}, {kind: 'undo'});
		case 'undo-finished':
			return {...state, step: 'summary', undone: {deleted: action.deleted, failed: action.failed, ...(action.message ? {message: action.message} : {})}};
	}
}

export const LABELS: Record<FormField, string> = {
	name: 'Name',
	apiUrl: 'API URL',
	dashboardUrl: 'Dashboard URL',
	projectId: 'Project ID',
	email: 'E-mail',
	password: 'Password',
	tokenStorage: 'Keep the sign-in token',
};
