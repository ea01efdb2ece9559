import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { DataLoader, syntheticDigits } from '@logitlab/datasets';
import { loadSafetensors, moduleToSafetensors } from '@logitlab/layers';
import { nllLoss } from '@logitlab/losses';
import { batchAccuracy, evaluate, fit } from '@logitlab/train';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importOnnx } from './import-onnx';
import { fixtureBytes } from './test-support';

// The cpu backend trains convs slowly; wasm with @logitlab/backends' gradient kernels is fast enough.
beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await useBackend('cpu');
});

it('fine-tunes an imported PyTorch convnet on synthetic digits, and exports it under PyTorch names', async () => {
  const train = syntheticDigits({ count: 3000, seed: 1 });
  const test = syntheticDigits({ count: 600, seed: 2 });
  const loader = (set: typeof train, shuffle: boolean) =>
    new DataLoader({ x: set.images, xShape: [28, 28, 1], y: set.labels, yShape: [] }, { batchSize: 64, shuffle, seed: 3 });
  // PyTorch's freshly initialised seed convnet (log_softmax head), exported to ONNX by make_fixtures.py
  const model = importOnnx(fixtureBytes('convnet'));
  const accuracy = async () => (await evaluate(model.eval(), loader(test, false), { accuracy: batchAccuracy })).metrics.accuracy!;
  const before = await accuracy();
  const optimizer = tf.train.adam(3e-3);
  model.train();
  await fit(model, { loss: nllLoss, optimizer, data: loader(train, true), epochs: 3, seed: 4 });
  const after = await accuracy();
  console.log(`imported convnet on synthetic digits: test accuracy ${before.toFixed(3)} -> ${after.toFixed(3)}`);
  expect(before).toBeLessThan(0.3);
  expect(after).toBeGreaterThan(0.85);
  // what `--check` in make_fixtures.py loads into the PyTorch module: the same keys and shapes as its state_dict
  const ours = loadSafetensors(moduleToSafetensors(model)).tensors;
  const theirs = loadSafetensors(new Uint8Array(readFileSync(new URL('./fixtures/convnet.safetensors', import.meta.url)))).tensors;
  expect(Object.fromEntries(Object.entries(ours).map(([k, t]) => [k, t.shape]))).toEqual(
    Object.fromEntries(Object.entries(theirs).map(([k, t]) => [k, t.shape])),
  );
  tf.dispose([...Object.values(ours), ...Object.values(theirs)]);
  optimizer.dispose();
  model.dispose();
});
