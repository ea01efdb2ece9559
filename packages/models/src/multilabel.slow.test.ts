import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { pairedDigits, syntheticDigits } from '@logitlab/datasets';
import { manualSeed } from '@logitlab/layers';
import { binaryCrossEntropyWithLogits } from '@logitlab/losses';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MultiLabelHead } from './multilabel';
import { batches, trainEpoch } from './test-support';

beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await useBackend('cpu');
});

const options = { positives: 'any-target' } as const;
const train = pairedDigits(syntheticDigits({ count: 8000, seed: 31 }), { count: 4000, seed: 3, ...options });
const test = pairedDigits(syntheticDigits({ count: 600, seed: 32 }), { count: 300, seed: 4, ...options });

it('MultiLabelHead learns which digits are present (BCE with logits)', () => {
  manualSeed(3);
  const model = new MultiLabelHead({ hidden: [512] });
  const optimizer = tf.train.adam(1e-3);
  for (let epoch = 0; epoch < 5; epoch++) {
    trainEpoch(
      model.parameters(),
      optimizer,
      batches(train.images, [28, 56, 1], train.multiHot, 10, 32),
      (x, y) => binaryCrossEntropyWithLogits(model.call(x), y) as tf.Scalar,
    );
  }
  const x = tf.tensor4d(test.images, [test.count, 28, 56, 1]);
  const logits = tf.tidy(() => model.call(x).dataSync());
  let exact = 0;
  let labelsRight = 0;
  for (let i = 0; i < test.count; i++) {
    let same = true;
    for (let k = 0; k < 10; k++) {
      if (logits[i * 10 + k]! > 0 === test.multiHot[i * 10 + k]! > 0.5) labelsRight++;
      else same = false;
    }
    if (same) exact++;
  }
  console.log(
    `multi-label subset accuracy ${(exact / test.count).toFixed(3)}, label accuracy ${(labelsRight / test.count / 10).toFixed(3)}`,
  );
  expect(exact / test.count).toBeGreaterThan(0.5);
  expect(labelsRight / test.count / 10).toBeGreaterThan(0.9);
  tf.dispose(x);
  optimizer.dispose();
  model.dispose();
});
