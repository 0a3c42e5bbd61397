/**
 * Test-only: `POST /auth/signup` (body {email, password, firstname, lastname}), to get a user who belongs to no
 * project. The importer never creates users, so this is not a client method.
 */
import {SignupResponse} from '../../source/core/tiledesk/contract.js';
import {raw} from './targets.js';

export interface SignedUp {
	id: string;
	email: string;
	password: string;
}

export async function signUp(url: string, names: {firstname: string; lastname: string} = {firstname: 'Nina', lastname: 'Nomember'}): Promise<SignedUp> {
	const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
	const email = `nomember-${tag}@example.com`;
	const password = `pw-${tag}`;
	const res = await raw(url, 'POST', '/auth/signup', {body: {email, password, ...names}});
	const body = SignupResponse.parse(res.json);
	if (res.status !== 200 || !body.success || !body.user) throw new Error(`signup failed: ${res.status} ${res.text.slice(0, 200)}`);
	return {id: body.user._id, email, password};
}
