// Shared fixtures for this package's tests (not exported from the package).
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader } from '@logitlab/datasets';
import { Dropout, Linear, manualSeed, ReLU, Sequential } from '@logitlab/layers';
import { Rng } from '@logitlab/core';

/** Two Gaussian blobs in 2-D, class = which blob; linearly separable with margin. */
export function blobs(count: number, seed: number): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(count * 2);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % 2;
    y[i] = c;
    x[2 * i] = (c ? 1.5 : -1.5) + (rng.next() - 0.5) * 1.5;
    x[2 * i + 1] = (c ? -1 : 1) + (rng.next() - 0.5) * 1.5;
  }
  return { x, y };
}

export function loader(count: number, seed: number, batchSize = 16, shuffle = true): DataLoader {
  const { x, y } = blobs(count, seed);
  return new DataLoader({ x, xShape: [2], y, yShape: [] }, { batchSize, shuffle, seed });
}

/** A tiny MLP; with dropout so resume tests exercise the RNG stream. */
export function mlp(seed: number, dropout = 0): Sequential {
  manualSeed(seed);
  return dropout > 0
    ? new Sequential(new Linear(2, 16), new ReLU(), new Dropout(dropout), new Linear(16, 2))
    : new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));
}

export function weights(model: { stateDict(): Record<string, tf.Tensor> }): Record<string, number[]> {
  const dict = model.stateDict();
  const out = Object.fromEntries(Object.entries(dict).map(([k, t]) => [k, Array.from(t.dataSync())]));
  tf.dispose(Object.values(dict));
  return out;
}
