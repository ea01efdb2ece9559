import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { countsOf, vitestCounts } from './test-counts.mjs';

// The shape vitest 4.1's JSON reporter writes when a file's beforeAll throws (recorded from a real run):
// the file fails, its tests are "skipped", and numFailedTests stays 0.
const hookFailure = {
  numPassedTests: 1,
  numFailedTests: 0,
  numPendingTests: 2,
  numFailedTestSuites: 1,
  testResults: [
    {
      name: '/repo/packages/models/src/sumpool-explainer.slow.test.ts',
      status: 'failed',
      message: 'Hook timed out in 120000ms',
      assertionResults: [
        { title: 'a', status: 'skipped' },
        { title: 'b', status: 'skipped' },
      ],
    },
    { name: '/repo/ok.test.ts', status: 'passed', message: '', assertionResults: [{ title: 'c', status: 'passed' }] },
  ],
};

describe('test-all counts', () => {
  it('counts the tests of a file whose hook failed as failed, not skipped', () => {
    expect(vitestCounts(hookFailure)).toEqual({ passed: 1, failed: 2, skipped: 0 });
  });

  it('counts a file that failed with no tests at all (an import error) as one failure', () => {
    const report = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, testResults: [{ status: 'failed', assertionResults: [] }] };
    expect(vitestCounts(report)).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });

  it('leaves ordinary failures and real skips alone', () => {
    const report = {
      numPassedTests: 3,
      numFailedTests: 1,
      numPendingTests: 1,
      testResults: [{ status: 'failed', assertionResults: [{ status: 'failed' }, { status: 'skipped' }, { status: 'passed' }] }],
    };
    expect(vitestCounts(report)).toEqual({ passed: 3, failed: 1, skipped: 1 });
  });

  it("reads node --test's and plain 'N passed, N failed' tallies", () => {
    expect(countsOf('dist', '# pass 4\n# fail 1\n# pass 2\n# fail 0\n')).toEqual({ passed: 6, failed: 1, skipped: 0 });
    expect(countsOf('pack', 'pack-test: 2 passed, 0 failed')).toEqual({ passed: 2, failed: 0, skipped: 0 });
  });
});
