import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { pairedDigits, syntheticDigits } from '@logitlab/datasets';
import { manualSeed } from '@logitlab/layers';
import { crossEntropy } from '@logitlab/losses';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UNetSmall } from './unet';
import { batches, trainEpoch } from './test-support';

beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await useBackend('cpu');
});

const options = { positives: 'any-target' } as const;
const train = pairedDigits(syntheticDigits({ count: 6400, seed: 31 }), { count: 3200, seed: 3, ...options });
const test = pairedDigits(syntheticDigits({ count: 600, seed: 32 }), { count: 300, seed: 4, ...options });

it('UNetSmall learns per-pixel digit classes (crossEntropy on logits)', () => {
  manualSeed(3);
  const model = new UNetSmall({ classes: 11 });
  const optimizer = tf.train.adam(3e-3);
  const n = 3200;
  const losses = trainEpoch(
    model.parameters(),
    optimizer,
    batches(train.images.subarray(0, n * 1568), [28, 56, 1], train.masks.subarray(0, n * 1568), 1568, 16),
    (x, y) => crossEntropy(model.call(x), tf.reshape(y, [-1, 28, 56])) as tf.Scalar,
  );
  const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
  // stroke pixels labelled with the right digit, on held-out pairs
  const x = tf.tensor4d(test.images.subarray(0, 100 * 1568), [100, 28, 56, 1]);
  const pred = tf.tidy(() => tf.argMax(model.call(x), 3).dataSync());
  let strokes = 0;
  let found = 0;
  let right = 0;
  for (let i = 0; i < pred.length; i++) {
    const m = test.masks[i]!;
    if (m > 0) {
      strokes++;
      if (pred[i]! > 0) found++;
      if (pred[i] === m) right++;
    }
  }
  console.log(
    `unet: loss ${first.toFixed(3)} -> ${last.toFixed(3)}, strokes found ${(found / strokes).toFixed(3)}, with the right digit ${(right / strokes).toFixed(3)}`,
  );
  expect(last).toBeLessThan(0.5 * first);
  // 200 steps find the strokes; naming their digit needs far longer training (the trainer's job)
  expect(found / strokes).toBeGreaterThan(0.6);
  tf.dispose(x);
  optimizer.dispose();
  model.dispose();
});
