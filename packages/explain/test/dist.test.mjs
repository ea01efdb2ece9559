// Plain-node test of the BUILT package (pnpm --filter @logitlab/explain... build first): no vitest, no
// bundler. The ESM and the CJS build each explain a small convnet in a fresh node process: LRP-epsilon
// with epsilon -> 0 must equal gradient x input there, which needs every gradient and the forward hook.
// Run with: node --test packages/explain/test/dist.test.mjs
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkgDir = path.resolve(import.meta.dirname, '..');

const BODY = `
  await backends.useBackend('cpu');
  layers.manualSeed(1);
  const net = new layers.Sequential(new layers.Conv2d(1, 3, 3), new layers.ReLU(), new layers.MaxPool2d(2), new layers.Flatten(), new layers.Linear(27, 4));
  const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 3);
  const before = tf.memory().numTensors;
  const a = explain.explain(net, x, { composite: 'epsilon', epsilon: 1e-12 });
  const b = explain.explain(net, x, { method: 'gradientTimesInput' });
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a.relevance, b.relevance))).dataSync()[0]);
  const scale = tf.tidy(() => tf.max(tf.abs(b.relevance)).dataSync()[0]);
  tf.dispose([a.relevance, b.relevance]);
  console.log(JSON.stringify({ diff, scale, leaked: tf.memory().numTensors - before }));
`;

function run(kind) {
  const script =
    kind === 'esm'
      ? `import * as tf from '@tensorflow/tfjs-core'; import * as backends from '@logitlab/backends'; import * as layers from '@logitlab/layers'; import * as explain from '@logitlab/explain';\n${BODY}`
      : `const tf = require('@tensorflow/tfjs-core'); const backends = require('@logitlab/backends'); const layers = require('@logitlab/layers'); const explain = require('@logitlab/explain');\n(async () => {${BODY}})();`;
  const out = execFileSync(process.execPath, [`--input-type=${kind === 'esm' ? 'module' : 'commonjs'}`, '-e', script], {
    cwd: pkgDir,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

for (const kind of ['esm', 'cjs']) {
  test(`built ${kind}: LRP-epsilon -> 0 equals gradient x input, no leaks`, () => {
    const r = run(kind);
    assert.ok(r.scale > 0, 'a zero map would test nothing');
    assert.ok(r.diff <= 1e-5 * r.scale, `diff ${r.diff} vs scale ${r.scale}`);
    assert.equal(r.leaked, 0);
  });
}
