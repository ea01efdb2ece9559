// Plain-node test of the BUILT package: importing the ESM build and requiring the CJS build in one
// process warns once that there are two copies; one format alone is silent.
// Run with: node --test packages/layers/test/single-copy.test.mjs
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkgDir = path.resolve(import.meta.dirname, '..');
const setup = `import * as tf from '@tensorflow/tfjs-core'; import '@tensorflow/tfjs-backend-cpu'; import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);`;

function run(body) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', `${setup} ${body}`], { cwd: pkgDir, encoding: 'utf8' });
}

test('ESM and CJS copies in one process: one warning naming both', () => {
  const r = run(`const esm = await import('@logitlab/layers'); const cjs = require('@logitlab/layers');
    esm.manualSeed(1); cjs.manualSeed(1); new esm.Linear(2, 2); new cjs.Linear(2, 2); cjs.manualSeed(2);
    console.log(new cjs.Linear(2, 2) instanceof esm.Module);`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'false'); // the hazard the warning is about
  const warnings = r.stderr.split('\n').filter((l) => l.includes('is loaded twice'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0], /CommonJS/);
  assert.match(warnings[0], /ES module/);
});

test('one format only: no warning', () => {
  const r = run(`const esm = await import('@logitlab/layers'); esm.manualSeed(1); new esm.Linear(2, 2);`);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /loaded twice/);
});
