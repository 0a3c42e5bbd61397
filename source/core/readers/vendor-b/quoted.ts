/**
 * Cuts the quoted history that e-mail replies carry (Gorgias `body_text` holds the whole thread): everything from an
 * attribution line ("On Tue, 4 Oct 2022 … wrote:", and its French, German, Spanish, Italian, Dutch, Portuguese
 * forms), an "-----Original Message-----" separator, or a final block of `>` lines. Text that is only a quote is
 * kept whole.
 */
const ATTRIBUTION = /^\s*(?:On|Le|Am|El|Il|Op|Em)\s.{3,300}?(?:wrote|a écrit|schrieb|escribió|ha scritto|scritto|schreef|escreveu)\s*:\s*$/i;
const SEPARATOR = /^\s*-{2,}\s*(?:Original Message|Message d'origine|Ursprüngliche Nachricht|Mensaje original|Messaggio originale)\s*-{2,}\s*$/i;

export function stripQuotedHistory(text: string): string {
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	let cut = -1;
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i]!;
		const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]!}` : line;
		if (ATTRIBUTION.test(line) || SEPARATOR.test(line) || (/^\s*(?:On|Le|Am|El|Il|Op|Em)\s/i.test(line) && ATTRIBUTION.test(joined))) {
			cut = i;
			break;
		}
	}
	if (cut < 0) {
		// A trailing block of quoted lines without an attribution.
		let i = lines.length;
		while (i > 0 && (lines[i - 1]!.trim() === '' || lines[i - 1]!.trimStart().startsWith('>'))) i--;
		if (i < lines.length && lines.slice(i).some((l) => l.trimStart().startsWith('>'))) cut = i;
	}
	if (cut <= 0) return text.trim();
	const kept = lines.slice(0, cut).join('\n').trim();
	return kept === '' ? text.trim() : kept;
}
