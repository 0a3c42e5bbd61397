/** The last path segment of a URL or path, for an attachment name (`https://x/a/b.png?sig=1` → `b.png`). */
export function fileNameOf(url: string): string {
	try {
		return decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? '') || url;
	} catch {
		return url.split(/[?#]/)[0]!.split(/[/\\]/).filter(Boolean).pop() ?? url;
	}
}
