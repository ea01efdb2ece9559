// Plain-node test of the BUILT package: a user script that only picks the cpu backend and computes
// must print nothing on stderr (tfjs-backend-cpu's "Hi, looks like you are running TensorFlow.js in
// Node.js" banner is silenced at its source), in ESM and CJS, whether the app imported
// tfjs-backend-cpu itself before us or lets useBackend load it.
// Run with: node --test packages/backends/test/quiet.test.mjs
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkgDir = path.resolve(import.meta.dirname, '..');
const BODY = `const t = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])); console.log(JSON.stringify(Array.from(t.dataSync())));`;

const scripts = {
  'esm, useBackend': `import * as tf from '@tensorflow/tfjs-core'; import { useBackend } from '@logitlab/backends'; await useBackend('cpu'); ${BODY}`,
  'esm, cpu imported first, no useBackend': `import * as tf from '@tensorflow/tfjs-core'; import '@tensorflow/tfjs-backend-cpu'; await import('@logitlab/backends'); ${BODY}`,
  'cjs, useBackend': `const tf = require('@tensorflow/tfjs-core'); const { useBackend } = require('@logitlab/backends'); useBackend('cpu').then(() => { ${BODY} });`,
};

for (const [name, script] of Object.entries(scripts)) {
  test(`${name}: no tfjs-node banner, nothing on stderr`, () => {
    const type = name.startsWith('esm') ? 'module' : 'commonjs';
    const r = spawnSync(process.execPath, [`--input-type=${type}`, '-e', script], { cwd: pkgDir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '[4,6]');
    assert.doesNotMatch(r.stderr, /looks like you are running TensorFlow\.js in Node/);
    assert.equal(r.stderr.trim(), '');
  });
}
