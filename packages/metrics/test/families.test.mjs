// Plain-node test of the BUILT package (pnpm --filter @logitlab/metrics build first): the explanation
// metric families and their registry load from the ESM and the CJS entry alike and compute there.
// Run with: node --test packages/metrics/test/families.test.mjs
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkgDir = path.resolve(import.meta.dirname, '..');

const BODY = `
  const hot = new Float32Array(16); hot[3] = 2;
  const f = (batch, n) => Float64Array.from({ length: n }, (_, i) => batch.subarray(i * 16, (i + 1) * 16).reduce((s, v) => s + v, 0));
  const x = Float32Array.from({ length: 16 }, (_, j) => j / 16);
  const c = await m.completeness(f, x, x, { count: 1 });
  let missing = '';
  try { m.pointingGame(hot, undefined, 1); } catch (e) { missing = e.name; }
  console.log(JSON.stringify({ gini: m.sparseness(hot, 1).mean, metrics: m.selectMetrics('all').length, families: m.metricFamilies.length, gap: c.perImage[0], missing }));
`;

function run(kind) {
  const script =
    kind === 'esm'
      ? `import * as m from '@logitlab/metrics';\n${BODY}`
      : `const m = require('@logitlab/metrics');\n(async () => {${BODY}})();`;
  const out = execFileSync(process.execPath, [`--input-type=${kind === 'esm' ? 'module' : 'commonjs'}`, '-e', script], {
    cwd: pkgDir,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

for (const kind of ['esm', 'cjs']) {
  test(`built ${kind}: explanation metric families and their registry`, () => {
    const r = run(kind);
    assert.ok(r.gini > 0.9, `Gini of a one-hot map ${r.gini}`);
    assert.equal(r.metrics, 14);
    assert.equal(r.families, 6);
    assert.ok(r.gap < 1e-6, `completeness gap of a sum model explained by x: ${r.gap}`);
    assert.equal(r.missing, 'MissingMasksError');
  });
}
