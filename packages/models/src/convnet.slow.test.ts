import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { syntheticDigits } from '@logitlab/datasets';
import { manualSeed } from '@logitlab/layers';
import { crossEntropy } from '@logitlab/losses';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MnistConvNet } from './convnet';
import { batches, trainEpoch } from './test-support';

// The cpu backend trains convs at ~10 samples/s; wasm with @logitlab/backends' gradient kernels at thousands.
beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await useBackend('cpu');
});

it('MnistConvNet (logits head, crossEntropy) reaches >= 95% on held-out synthetic digits', () => {
  const train = syntheticDigits({ count: 4000, seed: 1 });
  const test = syntheticDigits({ count: 1000, seed: 2 });
  manualSeed(1);
  const model = new MnistConvNet({ head: 'logits' });
  const optimizer = tf.train.adam(1e-3);
  const before = tf.memory().numTensors;
  let losses: number[] = [];
  for (let epoch = 0; epoch < 3; epoch++) {
    model.train();
    losses = losses.concat(
      trainEpoch(
        model.parameters(),
        optimizer,
        batches(train.images, [28, 28, 1], train.labels, 1, 64),
        (x, y) => crossEntropy(model.call(x), y) as tf.Scalar,
      ),
    );
  }
  // Adam's moment slots are created on the first step and then reused: nothing else may accumulate
  const slots = 2 * model.parameters().length + 2;
  expect(tf.memory().numTensors).toBeLessThanOrEqual(before + slots);
  model.eval();
  const x = tf.tensor4d(test.images, [test.count, 28, 28, 1]);
  const predicted = tf.tidy(() => tf.argMax(model.call(x), 1).dataSync());
  let correct = 0;
  for (let i = 0; i < test.count; i++) if (predicted[i] === test.labels[i]) correct++;
  console.log(`convnet: loss ${losses[0]!.toFixed(3)} -> ${losses.at(-1)!.toFixed(3)}, test accuracy ${(correct / test.count).toFixed(3)}`);
  expect(correct / test.count).toBeGreaterThanOrEqual(0.95);
  tf.dispose(x);
  optimizer.dispose();
  model.dispose();
});
