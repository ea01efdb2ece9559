// Test counts of one test-all step, from what it printed (or, for vitest, its JSON report).
import fs from 'node:fs';

/**
 * Counts from vitest's JSON report. A file whose hook failed (a beforeAll that timed out) or that
 * could not be imported is a failed suite whose tests are marked skipped and none failed: those
 * tests did not pass, so they count as failed (at least one per such file), not as skipped.
 */
export function vitestCounts(report) {
  let failed = report.numFailedTests ?? 0;
  let skipped = report.numPendingTests ?? 0;
  for (const file of report.testResults ?? []) {
    const results = file.assertionResults ?? [];
    if (file.status !== 'failed' || results.some((r) => r.status === 'failed')) continue;
    const notRun = results.filter((r) => r.status === 'skipped' || r.status === 'pending').length;
    failed += Math.max(1, notRun);
    skipped -= notRun;
  }
  return { passed: report.numPassedTests ?? 0, failed, skipped: Math.max(0, skipped) };
}

/** Test counts a step printed: vitest's JSON report, node --test's "# pass/# fail", or "N passed, N failed". */
export function countsOf(name, output, vitestJson) {
  if (name.startsWith('vitest') && vitestJson && fs.existsSync(vitestJson)) {
    return vitestCounts(JSON.parse(fs.readFileSync(vitestJson, 'utf8')));
  }
  const pass = [...output.matchAll(/^# pass (\d+)$/gm)].map((m) => Number(m[1]));
  const fail = [...output.matchAll(/^# fail (\d+)$/gm)].map((m) => Number(m[1]));
  if (pass.length) return { passed: pass.reduce((a, b) => a + b, 0), failed: fail.reduce((a, b) => a + b, 0), skipped: 0 };
  const plain = [...output.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
  if (plain) return { passed: Number(plain[1]), failed: Number(plain[2]), skipped: 0 };
  return null;
}
