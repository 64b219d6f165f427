// Reads vitest JSON reports and prints the single line CI reads: `N passed, N failed`.
// A report that is missing or unreadable counts as one failure (the runner crashed before writing it).
import { readFileSync } from 'node:fs';

// arguments: the JSON reports, then the passed and failed counts of the non-test steps
const args = process.argv.slice(2);
const [stepsPassed, stepsFailed] = args.slice(-2);
const reports = args.slice(0, -2);
let passed = Number(stepsPassed) || 0;
let failed = Number(stepsFailed) || 0;
for (const file of reports) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    // failed tests, plus test files that failed without a failed test (they crashed while loading)
    failed += (report.numFailedTests ?? 0) + countFilesFailedWithoutFailedTest(report);
    if ((report.numTotalTests ?? 0) === 0) {
      console.error(`${file}: no test was run`);
      failed += 1;
    }
  } catch {
    console.error(`${file}: no readable test report`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

function countFilesFailedWithoutFailedTest(report) {
  return (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed'),
  ).length;
}
