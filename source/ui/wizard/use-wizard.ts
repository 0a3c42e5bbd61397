/**
 * The wizard's state (the pure reducer) plus its effect runner: when the reducer asks for an effect, this hook
 * runs it against the core services and dispatches the result. Long-lived things (the signed-in client, the
 * transcript, the running import) live in a session object outside React state.
 */
import {useEffect, useReducer, useRef} from 'react';
import type {Connected} from '../../core/connection/connect.js';
import {ImportRun, type EngineConfig} from '../../core/import/engine.js';
import {importOptions} from '../../core/import/options.js';
import {journalPathFor, type OpenedSource} from '../../core/import/source.js';
import {createProgressStore, type ProgressStore} from '../../core/import/store.js';
import {undoImport} from '../../core/import/undo.js';
import {TiledeskError} from '../../core/tiledesk/errors.js';
import {sandboxProfile, type SandboxHandle, type WizardDeps} from './deps.js';
import {initialState, wizardReducer, type Action, type Effect, type ProfileView, type WizardState} from './machine.js';
import {openPreview, type PreviewData} from './preview-data.js';

/** Formats whose preview opens at its first page, before the whole file is read. */
const SHOWN_WHILE_SCANNING = new Set(['json', 'jsonl', 'csv']);
const FIRST_PAGE = 50;

/** What outlives one screen: the connection, the opened transcript, the preview data, the running import. */
export interface Session {
	connected?: Connected;
	sandbox?: SandboxHandle;
	source?: OpenedSource;
	preview?: PreviewData;
	run?: ImportRun;
	progress?: ProgressStore;
}

export function useWizard(deps: WizardDeps, init: Parameters<typeof initialState>[0] = {}) {
	// Profiles are read synchronously, so the first frame already lists them (no key can outrun the list).
	const [state, dispatch] = useReducer(wizardReducer, init, (i) => wizardReducer(initialState(i), {type: 'profiles-loaded', profiles: [sandboxProfile(), ...deps.profiles.list()], problems: deps.profiles.problems()}));
	const session = useRef<Session>({}).current;
	// The session lives outside React state; this re-renders when it gains a run to show.
	const [, sessionChanged] = useReducer((n: number) => n + 1, 0);

	useEffect(() => {
		const effect = state.effect;
		if (!effect) return;
		const controller = new AbortController();
		runEffect(effect, state, deps, session, dispatch, controller.signal, sessionChanged).catch((error: unknown) => {
			if (controller.signal.aborted) return;
			dispatch(failure(effect, error));
		});
		return () => controller.abort();
		// Only a new effect (a new id) starts work; the rest of the state is read when it starts.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [state.effect?.id]);

	useEffect(
		() => () => {
			session.run?.abort();
			session.progress?.dispose();
			void session.preview?.close();
			void session.connected?.client.close();
			void session.sandbox?.close();
		},
		[session],
	);

	return {state, dispatch, session};
}

function message(error: unknown): string {
	if (error instanceof TiledeskError) return error.message;
	const e = error as Error;
	return e?.message ?? String(error);
}

function failure(effect: Effect, error: unknown): Action {
	switch (effect.kind) {
		case 'connect':
			return {type: 'connect-failed', error: message(error)};
		case 'scan':
			return {type: 'scan-failed', error: message(error)};
		case 'plan':
			return {type: 'plan-failed', error: message(error)};
		case 'import':
			return {type: 'import-failed', error: message(error)};
		case 'undo':
			return {type: 'undo-finished', deleted: 0, failed: 0, message: message(error)};
	}
}

async function runEffect(effect: Effect, state: WizardState, deps: WizardDeps, session: Session, dispatch: (a: Action) => void, signal: AbortSignal, sessionChanged: () => void): Promise<void> {
	switch (effect.kind) {
		case 'connect':
			return connectEffect(effect.profile, effect.password, Boolean(effect.saveProfile), state, deps, session, dispatch, signal);
		case 'scan': {
			const source = await deps.openSource(effect.path, effect.readOptions);
			if (signal.aborted) return;
			session.source = source;
			deps.profiles.addRecentFile(effect.path);
			const format = {id: source.transcript.format, label: source.transcript.label, reason: source.transcript.detection.reason};
			dispatch({type: 'scan-progress', scan: {bytesRead: 0, totalBytes: 0, conversations: 0, messages: 0, done: false}, format});
			const previous = session.preview;
			session.preview = undefined;
			void previous?.close();
			const preview = await openPreview(source.transcript, effect.readOptions, {signal});
			session.preview = preview;
			const scanView = (done: boolean) => {
				const p = preview.progress();
				return {bytesRead: p.bytesRead, totalBytes: p.totalBytes, conversations: p.conversations, messages: p.messages, done};
			};
			const unsubscribe = preview.subscribe(() => {
				if (!signal.aborted) dispatch({type: 'scan-progress', scan: scanView(false)});
			});
			try {
				// The native formats are indexed as they are read: their first page shows while a huge file is still
				// being read. Vendor exports are read whole and may need answers first (the mapping step).
				if (SHOWN_WHILE_SCANNING.has(source.transcript.format)) {
					await preview.waitFor(FIRST_PAGE);
					if (!signal.aborted && !preview.complete() && !preview.failure()) dispatch({type: 'scan-ready'});
				}
				await preview.done;
			} finally {
				unsubscribe();
			}
			if (signal.aborted) return;
			const failed = preview.failure();
			if (failed) throw new Error(failed);
			const summary = preview.summary();
			const codes = new Set(summary.findings.map((f) => f.code));
			const needsAgents = codes.has('role-assumed') && !effect.readOptions.agents;
			const needsDateOrder = summary.findings.some((f) => f.code === 'date-order' && f.severity === 'warning') && !effect.readOptions.dateOrder;
			dispatch({
				type: 'scan-done',
				scan: scanView(true),
				mapping: {...(needsAgents ? {participants: preview.participants().filter((p) => p.role !== 'system').map((p) => p.name)} : {}), ...(needsDateOrder ? {dateOrder: true} : {})},
			});
			return;
		}
		case 'plan': {
			const run = await makeRun(state, deps, session, importOptions({...state.options, dryRun: state.mode === 'dry-run', ...(state.mode === 'demo' ? {limit: state.demoCount} : {})}));
			// Going back stops the pass over the file; the journal it opened is closed either way.
			const stop = () => run.abort();
			signal.addEventListener('abort', stop, {once: true});
			try {
				const plan = await run.plan();
				if (!signal.aborted) dispatch({type: 'plan-ready', plan});
			} finally {
				signal.removeEventListener('abort', stop);
				run.close();
			}
			return;
		}
		case 'import': {
			const retryIds = effect.retryFailed && state.outcome ? new Set(state.outcome.results.filter((r) => r.status === 'failed' || r.status === 'cancelled').map((r) => r.sourceId)) : undefined;
			const run = await makeRun(state, deps, session, importOptions(effect.options), retryIds);
			session.progress?.dispose();
			const store = createProgressStore();
			session.progress = store;
			session.run = run;
			run.subscribe((e) => store.push(e));
			sessionChanged();
			// What runs is the plan the user confirmed (reached only through plan-ready, with these options), not a second
			// pass over the file to plan again; a retry of the failed ones selects other conversations and plans its own.
			const outcome = await run.start(effect.retryFailed ? undefined : state.plan);
			dispatch({type: 'import-finished', outcome});
			return;
		}
		case 'undo': {
			const report = state.outcome?.report;
			if (!report || !session.connected) return;
			if (session.connected.info.role !== 'owner') {
				dispatch({type: 'undo-finished', deleted: 0, failed: 0, message: `Undo needs the owner role; your role in this project is ${session.connected.info.role ?? 'unknown'}.`});
				return;
			}
			const results = await undoImport(session.connected.client, report, {signal});
			dispatch({type: 'undo-finished', deleted: results.filter((r) => r.status === 'deleted').length, failed: results.filter((r) => r.status === 'failed').length});
			return;
		}
	}
}

async function makeRun(state: WizardState, deps: WizardDeps, session: Session, options: ReturnType<typeof importOptions>, retryIds?: Set<string>): Promise<ImportRun> {
	const connected = session.connected;
	const source = session.source;
	if (!connected || !source) throw new Error('Not connected or no transcript chosen.');
	const dashboardUrl = state.profile?.dashboardUrl;
	const config: EngineConfig = {
		api: connected.client,
		connection: connected.info,
		source,
		options: dashboardUrl ? {...options, dashboardUrl} : options,
		toolVersion: deps.toolVersion,
		journalPath: journalPathFor(deps.workDir, {baseUrl: connected.client.baseUrl, projectId: connected.info.project.id, source: options.source ?? source.format, contentHash: await source.contentHash(), readOptions: state.readOptions}),
		cwd: deps.cwd,
		...(deps.reportDir ? {reportDir: deps.reportDir} : {}),
		roundTripMs: connected.roundTripMs,
		quota: {...(state.connected?.quotaUsed !== undefined ? {used: state.connected.quotaUsed} : {}), ...(state.connected?.monthlyLimit !== undefined ? {limit: state.connected.monthlyLimit} : {})},
		...(retryIds ? {retryIds} : {}),
	};
	return new ImportRun(config);
}

async function connectEffect(
	profile: ProfileView,
	password: string | undefined,
	save: boolean,
	state: WizardState,
	deps: WizardDeps,
	session: Session,
	dispatch: (a: Action) => void,
	signal: AbortSignal,
): Promise<void> {
	await session.connected?.client.close();
	session.connected = undefined;
	let settings;
	let resolved = profile;
	if (profile.sandbox) {
		session.sandbox ??= await deps.startSandbox();
		const sb = session.sandbox;
		settings = {baseUrl: sb.url, projectId: sb.credentials.projectId, email: sb.credentials.email, password: sb.credentials.password};
		resolved = {...profile, apiUrl: sb.url, projectId: sb.credentials.projectId, email: sb.credentials.email};
	} else if (password) {
		settings = {baseUrl: profile.apiUrl, projectId: profile.projectId, email: profile.email, password};
	} else {
		const token = await deps.profiles.getToken(profile).catch(() => undefined);
		if (!token) {
			dispatch({type: 'connect-failed', error: '', needPassword: true});
			return;
		}
		settings = {baseUrl: profile.apiUrl, projectId: profile.projectId, token};
	}
	let connected: Connected;
	try {
		connected = await deps.connect(settings, signal);
	} catch (error) {
		if (!password && !profile.sandbox && error instanceof TiledeskError && error.kind === 'bad-credentials') {
			dispatch({type: 'connect-failed', error: 'The stored sign-in is no longer valid: enter the password again.', needPassword: true});
			return;
		}
		throw error;
	}
	if (signal.aborted) {
		await connected.client.close();
		return;
	}
	session.connected = connected;
	let tokenStoredIn: 'keychain' | 'file' | 'none' | undefined;
	if (!profile.sandbox) {
		if (save) deps.profiles.save(profile, state.form?.editing);
		if (password) tokenStoredIn = await deps.profiles.saveToken(profile, connected.token).catch(() => 'none' as const);
		deps.profiles.touch(profile.name);
	}
	const quota = await connected.client.getQuota(signal).catch(() => ({requestsUsed: undefined}));
	const info = connected.info;
	dispatch({
		type: 'connected',
		profile: resolved,
		view: {
			projectName: info.project.name,
			...(info.project.plan ? {plan: info.project.plan} : {}),
			...(info.role ? {role: info.role} : {}),
			...(info.project.monthlyConversationLimit !== undefined ? {monthlyLimit: info.project.monthlyConversationLimit} : {}),
			...(quota.requestsUsed !== undefined ? {quotaUsed: quota.requestsUsed} : {}),
			...(tokenStoredIn ? {tokenStoredIn} : {}),
		},
	});
}
