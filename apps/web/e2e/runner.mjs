// @ts-check
// The e2e suite's tiny test runner: page files register named tests, `run` runs those whose names
// contain one of the filters (all without filters) one after another (they share one browser, and a
// 2-core CI machine has no room for two pages training at once), and counts passes and failures.

/** @typedef {{ name: string, fn: () => Promise<void> }} Test */

/** @type {Test[]} */
const tests = [];

/** @param {string} name @param {() => Promise<void>} fn */
export function test(name, fn) {
  if (tests.some((t) => t.name === name)) throw new Error(`e2e: two tests are named '${name}'; filters and CI logs need one`);
  tests.push({ name, fn });
}

/** @param {unknown} cond @param {string} msg @returns {asserts cond} */
export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** @param {number} t0 */
const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

/**
 * Runs the registered tests whose names contain one of `only` (all of them when it is empty).
 * @param {string[]} only
 */
export async function run(only) {
  let passed = 0;
  let failed = 0;
  for (const { name, fn } of tests) {
    if (only.length && !only.some((o) => name.includes(o))) continue;
    const t0 = Date.now();
    try {
      await fn();
      passed++;
      console.log(`  ok   ${name} (${seconds(t0)})`);
    } catch (e) {
      failed++;
      const message = String(e instanceof Error ? e.message : e);
      console.log(`  FAIL ${name} (${seconds(t0)})\n       ${message.split('\n').join('\n       ')}`);
    }
  }
  return { passed, failed };
}
