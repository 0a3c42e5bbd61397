/** The tool's name and version (from package.json), stamped on reports and on imported conversations. */
import {readFileSync} from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
	cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;
	return cached;
}

export function toolVersion(): string {
	return `tiledesk-import/${packageVersion()}`;
}
