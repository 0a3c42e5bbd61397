/** Sandbox tokens: HS256 JWTs (node:crypto; a dozen lines, no library needed), signed with the state's secret. */
import {createHmac, timingSafeEqual} from 'node:crypto';

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export class TokenSigner {
	constructor(private readonly secret: Buffer) {}

	sign(payload: Record<string, unknown>): string {
		const head = `${b64(JSON.stringify({alg: 'HS256', typ: 'JWT'}))}.${b64(JSON.stringify(payload))}`;
		return `JWT ${head}.${createHmac('sha256', this.secret).update(head).digest('base64url')}`;
	}

	/** The payload of a valid token (without the scheme), or undefined. */
	verify(token: string): Record<string, unknown> | undefined {
		const [h, p, s] = token.split('.');
		if (!h || !p || !s) return undefined;
		const expected = createHmac('sha256', this.secret).update(`${h}.${p}`).digest();
		const given = Buffer.from(s, 'base64url');
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
		try {
			return JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
		} catch {
			return undefined;
		}
	}
}
