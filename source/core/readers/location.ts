/** 1-based line and column of a character offset in a text. */
export function lineColumnAt(text: string, offset: number): {line: number; column: number} {
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i < offset && i < text.length; i++) {
		if (text.charCodeAt(i) === 10) {
			line++;
			lineStart = i + 1;
		}
	}
	return {line, column: offset - lineStart + 1};
}

/** Offset of a JSON.parse SyntaxError ("… at position 123" / "(line 4 column 2)"), or undefined. */
export function syntaxErrorOffset(text: string, error: Error): number | undefined {
	const pos = /position (\d+)/.exec(error.message);
	if (pos) return Number(pos[1]);
	const lc = /line (\d+) column (\d+)/.exec(error.message);
	if (lc) {
		let offset = 0;
		for (let line = 1; line < Number(lc[1]); line++) offset = text.indexOf('\n', offset) + 1;
		return offset + Number(lc[2]) - 1;
	}
	if (/Unexpected end of JSON input/.test(error.message)) return text.length;
	return undefined;
}

/** JSON.parse's message without the position suffix, e.g. "Unexpected token } in JSON". */
export function syntaxErrorReason(error: Error): string {
	return error.message.replace(/,? (?:at position \d+|\(line \d+ column \d+\)).*$/s, '').replace(/^JSON\.parse: /, '');
}
