/**
 * The Tiledesk wire contract (../shared/docs/tiledesk-api.md) as zod schemas: the request bodies the importer sends
 * and the responses and error bodies it receives. The client (./client.ts) validates responses with them; the
 * sandbox (../sandbox/) parses the bodies it accepts with them and checks what it returns against them, so the two
 * cannot drift. Responses are loose objects: a real server adds many fields, only the ones the importer reads are
 * required, and optional ones may be null in old documents (read as undefined). Request bodies are plain objects:
 * the server copies only the fields listed here and ignores the rest.
 */
import {z} from 'zod';

/** `bodyParser.json({limit: '500KB'})`: larger bodies are answered 413. */
export const BODY_LIMIT_BYTES = 512_000;
/** A MongoDB ObjectId as the server prints it. */
export const OBJECT_ID = /^[0-9a-f]{24}$/i;

const Attributes = z.record(z.string(), z.unknown());
/** An optional response field that an old document may hold as null: read as undefined. */
const maybe = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const Channel = z.looseObject({name: z.string()});

// ---- auth -------------------------------------------------------------------------------------------------------

/** `POST /auth/signin`. */
export const SigninBody = z.object({email: z.string(), password: z.string()});
export const SigninResponse = z.looseObject({
	success: z.literal(true).optional(),
	/** Already carries the "JWT " prefix; send it verbatim as Authorization. */
	token: z.string().min(1),
	user: z.looseObject({_id: z.string(), email: z.string().optional(), firstname: z.string().optional(), lastname: z.string().optional()}),
});

/** `POST /auth/signup` (tests and the sandbox only: the importer never creates users). */
export const SignupBody = z.object({email: z.string(), password: z.string().optional(), firstname: z.string(), lastname: z.string()});
export const SignupResponse = z.looseObject({
	success: z.boolean(),
	msg: z.string().optional(),
	user: z.looseObject({_id: z.string(), email: z.string()}).optional(),
});

/** `POST /auth/signinAnonymously`: mints a guest (visitor) identity; no Authorization. */
export const AnonymousBody = z.object({
	id_project: z.string(),
	firstname: z.string().optional(),
	lastname: z.string().optional(),
	email: z.string().optional(),
	attributes: Attributes.optional(),
});
export const AnonymousResponse = z.looseObject({
	success: z.literal(true).optional(),
	token: z.string().min(1),
	user: z.looseObject({
		/** The guest's uuid_user: use it as `sender`. */
		_id: z.string(),
		firstname: z.string().optional(),
		lastname: z.string().optional(),
		email: z.string().optional(),
		attributes: Attributes.optional(),
		id: z.string().optional(),
		fullName: z.string().optional(),
	}),
});

// ---- project ----------------------------------------------------------------------------------------------------

/** `GET /projects/:id`. */
export const ProjectResponse = z.looseObject({
	_id: z.string(),
	name: z.string(),
	status: z.number().optional(),
	profile: z.looseObject({name: z.string().optional(), type: z.string().optional()}).optional(),
	isActiveSubscription: z.boolean().optional(),
});

/** `GET /:pid/project_users/me`: an array of one. `id_user` may be populated. */
export const ProjectUserResponse = z.looseObject({
	_id: z.string(),
	id_project: z.string().optional(),
	id_user: z.union([z.string(), z.looseObject({_id: z.string()})]).optional(),
	uuid_user: z.string().optional(),
	role: z.string(),
	status: z.string().optional(),
	isBusy: z.boolean().optional(),
});
export const ProjectUsersMeResponse = z.array(ProjectUserResponse);

/** `POST /:pid/quotes` (body `{}`): conversations used in the current monthly slot. */
export const QuotesBody = z.object({date: z.string().optional()});
export const QuotesResponse = z.looseObject({
	success: z.literal(true).optional(),
	quotes: z.looseObject({requests: z.looseObject({quote: z.number()})}),
});
/** `GET /:pid/quotes/requests`. */
export const QuotesAvailableResponse = z.looseObject({isAvailable: z.boolean()});

// ---- requests (conversations) -----------------------------------------------------------------------------------

/**
 * `POST /:pid/requests`: the fields the route copies (`routes/request.js:107-190`). `first_text` is checked by the
 * server (422 when empty), so it is only typed here. `status`, `createdAt`, `tags`, `notes` are ignored by the server.
 */
export const CreateRequestBody = z.object({
	first_text: z.string(),
	request_id: z.string().optional(),
	sender: z.string().optional(),
	senderFullname: z.string().optional(),
	email: z.string().optional(),
	attributes: Attributes.optional(),
	departmentid: z.string().optional(),
	participants: z.array(z.string()).optional(),
	subject: z.string().optional(),
	sourcePage: z.string().optional(),
	language: z.string().optional(),
	userAgent: z.string().optional(),
	channel: Channel.optional(),
	location: z.unknown().optional(),
	priority: z.string().optional(),
	followers: z.array(z.string()).optional(),
});

/**
 * A request as the server returns it: on create `lead` and `requester` are ids, on GET they are populated objects.
 * `requester` is always the caller's project_user; the visitor is the `lead`.
 */
export const RequestResponse = z.looseObject({
	_id: z.string(),
	request_id: z.string(),
	id_project: z.string().optional(),
	/** 100 unassigned, 200 assigned, 1000 closed. */
	status: z.number(),
	participants: z.array(z.string()).default([]),
	first_text: maybe(z.string()),
	subject: maybe(z.string()),
	language: maybe(z.string()),
	channel: maybe(Channel),
	attributes: maybe(Attributes),
	lead: maybe(z.union([z.string(), z.looseObject({_id: z.string(), lead_id: z.string(), fullname: maybe(z.string()), email: maybe(z.string())})])),
	requester: maybe(z.union([z.string(), z.looseObject({_id: z.string()})])),
	createdAt: z.string().optional(),
});

// ---- messages ---------------------------------------------------------------------------------------------------

/** One item of `POST …/messages/multi`. The server validates nothing: senders are not checked, text is optional. */
export const MessageInputBody = z.object({
	sender: z.string().optional(),
	senderFullname: z.string().optional(),
	text: z.string().optional(),
	type: z.string().optional(),
	status: z.number().optional(),
	attributes: Attributes.optional(),
	metadata: Attributes.optional(),
	language: z.string().optional(),
	channel: Channel.optional(),
});
/** The multi body: always an array (the server never answers anything else). */
export const MultiBody = z.array(MessageInputBody);

export const MessageResponse = z.looseObject({
	_id: z.string(),
	sender: z.string(),
	recipient: z.string(),
	senderFullname: maybe(z.string()),
	text: maybe(z.string()),
	type: maybe(z.string()),
	status: maybe(z.number()),
	attributes: maybe(Attributes),
	metadata: maybe(Attributes),
	language: maybe(z.string()),
	channel: maybe(Channel),
	id_project: z.string().optional(),
	createdAt: z.string().optional(),
});
export const MessagesResponse = z.array(MessageResponse);

// ---- error bodies -----------------------------------------------------------------------------------------------

/** 422 from express-validator (`value` omitted when undefined), or an array of strings (implicit request creation). */
export const ValidationErrorBody = z.object({
	errors: z.array(z.union([z.string(), z.looseObject({msg: z.string(), param: z.string().optional(), location: z.string().optional(), value: z.unknown().optional()})])),
});
/** 401 signin, 403 role/membership/sender, 404, multi 404/500: `{success:false,msg}`. */
export const MsgErrorBody = z.looseObject({success: z.literal(false), msg: z.string(), err: z.unknown().optional()});
/** 500 "Unable to create request" (quota, duplicate request_id, unknown department), signup 403/500. */
export const MessageErrorBody = z.looseObject({success: z.literal(false), message: z.string(), err: z.unknown().optional()});
/** 400 from the project setter (`{error}`), and close errors (`{success:false,error}`). */
export const ErrorFieldBody = z.looseObject({success: z.literal(false).optional(), error: z.string()});
/** 500 `{"err":"error"}` for malformed JSON / a non-ObjectId on /projects/:id; 413 `{err, limit}`. */
export const ErrBody = z.looseObject({err: z.string(), limit: z.number().optional()});
export const ErrorBody = z.union([ValidationErrorBody, MsgErrorBody, MessageErrorBody, ErrorFieldBody, ErrBody]);
/** passport's plain-text bodies: 401 without or with bad credentials, 400 for a header with a single part. */
export const PLAIN_UNAUTHORIZED = 'Unauthorized';
export const PLAIN_BAD_REQUEST = 'Bad Request';

/** The server's own short reason in an error body, for human messages (never the rejected values). */
export function errorReason(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim().slice(0, 200) || undefined;
	const validation = ValidationErrorBody.safeParse(body);
	if (validation.success) return validation.data.errors.map((e) => (typeof e === 'string' ? e : `${e.param ?? ''} ${e.msg}`.trim())).join('; ');
	for (const [schema, key] of [
		[MsgErrorBody, 'msg'],
		[MessageErrorBody, 'message'],
		[ErrorFieldBody, 'error'],
		[ErrBody, 'err'],
	] as const) {
		const parsed = schema.safeParse(body);
		if (parsed.success) return String((parsed.data as Record<string, unknown>)[key]);
	}
	return undefined;
}
