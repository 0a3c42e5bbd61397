/**
 * Attachments as links and metadata. A `data:` URI (Bot Framework images, inline HTML images) is never copied:
 * only its name, MIME type and decoded size are kept, so a message never carries the file's bytes.
 */
import type {Attachment} from '../../model/transcript.js';
import {fileNameOf} from '../vendor-a/url-name.js';

export interface AttachmentInput {
	name?: string | undefined;
	url?: string | undefined;
	mimeType?: string | undefined;
	size?: number | undefined;
}

const EXTENSIONS: Record<string, string> = {'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'application/pdf': 'pdf', 'text/plain': 'txt'};

/** An Attachment from loose fields, or undefined when nothing identifies it. */
export function attachmentOf(input: AttachmentInput): Attachment | undefined {
	const url = input.url?.trim() || undefined;
	let mimeType = input.mimeType?.trim() || undefined;
	let size = typeof input.size === 'number' && Number.isFinite(input.size) && input.size >= 0 ? input.size : undefined;
	let name = input.name?.trim() || undefined;
	let link: string | undefined;
	if (url && /^data:/i.test(url)) {
		const data = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/is.exec(url);
		if (data) {
			mimeType ??= data[1] || undefined;
			if (size === undefined && /;base64/i.test(data[2] ?? '')) {
				const payload = (data[3] ?? '').replace(/\s/g, '');
				size = Math.floor((payload.length * 3) / 4) - (payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0);
			}
		}
		name ??= `inline.${(mimeType && EXTENSIONS[mimeType]) ?? 'bin'}`;
	} else if (url) {
		link = url;
		name ??= fileNameOf(url);
	}
	if (!name && !link) return undefined;
	const out: Attachment = {};
	if (name) out.name = name;
	if (link) out.url = link;
	if (mimeType) out.mimeType = mimeType;
	if (size !== undefined) out.size = size;
	return out;
}

/** Attachments from an array of vendor objects, through a field picker; non-objects and empty entries are dropped. */
export function attachmentsFrom(value: unknown, pick: (a: Record<string, unknown>) => AttachmentInput): Attachment[] {
	if (!Array.isArray(value)) return [];
	const out: Attachment[] = [];
	for (const item of value) {
		if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
		const a = attachmentOf(pick(item as Record<string, unknown>));
		if (a) out.push(a);
	}
	return out;
}

/** Attachments plus the images of an HTML body that are not already among them (same URL). */
export function withImages(attachments: Attachment[], images: Attachment[]): Attachment[] {
	for (const image of images) if (!attachments.some((a) => a.url !== undefined && a.url === image.url)) attachments.push(image);
	return attachments;
}

export function num(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	return undefined;
}
