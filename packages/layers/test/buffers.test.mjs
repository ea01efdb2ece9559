// Plain-node check of the BUILT package with what fs.readFileSync really returns: a Buffer that is a
// view into a shared pool (both the ESM and the CJS build).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as esm from '@logitlab/layers';

const cjs = createRequire(import.meta.url)('@logitlab/layers');

for (const [format, layers] of [
  ['esm', esm],
  ['cjs', cjs],
]) {
  test(`loadSafetensors decodes F32 and F16 from a pooled Buffer (${format})`, () => {
    const bytes = layers.saveSafetensors({ w: tf.tensor1d([1.5, -2]) });
    const pooled = Buffer.concat([Buffer.alloc(3, 7), bytes]).subarray(3);
    const { tensors } = layers.loadSafetensors(pooled);
    assert.deepEqual(Array.from(tensors.w.dataSync()), [1.5, -2]);
    assert.equal(Object.getPrototypeOf(tensors), null);
    tf.dispose(Object.values(tensors));
  });
}
