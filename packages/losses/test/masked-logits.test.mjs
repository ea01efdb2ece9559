// Plain-node check of the BUILT package: crossEntropy on masked (-Infinity) logits gives PyTorch's finite
// loss and gradients on cpu and wasm, with the gradients the dist registers in plain Node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { crossEntropy, setPitfallWarnings } from '@logitlab/losses';

for (const backend of ['cpu', 'wasm']) {
  test(`crossEntropy on a -Infinity logit is finite with finite gradients (${backend}, built dist)`, async () => {
    await useBackend(backend);
    setPitfallWarnings(false);
    const logits = tf.tensor2d([
      [-Infinity, 0, 0],
      [0, 1, 2],
    ]);
    const target = tf.tensor1d([1, 1], 'int32');
    const { value, grads } = tf.valueAndGrads((x) => crossEntropy(x, target))([logits]);
    assert.ok(Math.abs(value.dataSync()[0] - 1.0504) < 1e-4, `loss ${value.dataSync()[0]}`);
    const g = Array.from(grads[0].dataSync());
    assert.ok(g.every(Number.isFinite), `grads ${g}`);
    assert.ok(Math.abs(g[1] + 0.25) < 1e-5, `grads ${g}`);
    tf.dispose([logits, target, value, ...grads]);
    setPitfallWarnings(true);
  });
}
