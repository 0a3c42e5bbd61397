// Sums vitest JSON reports: prints "<passed> <failed>". A lane whose report is missing counts as nothing here;
// .ci/run counts the failed step itself.
import {readFileSync} from 'node:fs';

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
	try {
		const report = JSON.parse(readFileSync(file, 'utf8'));
		passed += report.numPassedTests ?? 0;
		failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
		process.stderr.write(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests ?? 0} skipped\n`);
	} catch (error) {
		process.stderr.write(`${file}: unreadable (${error.message})\n`);
	}
}
process.stdout.write(`${passed} ${failed}\n`);
