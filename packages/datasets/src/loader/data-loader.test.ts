import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataLoader, DatasetInputError, MNIST_MEAN, MNIST_STD, normalize, normalizePixels, scaleTo } from '../index';

function data(count: number) {
  const x = new Float32Array(count * 4).map((_, i) => i);
  const y = new Int32Array(count).map((_, i) => i);
  return { x, xShape: [2, 2], y, yShape: [] as number[] };
}

function epochLabels(loader: DataLoader): number[] {
  const out: number[] = [];
  for (const { x, y } of loader) {
    out.push(...(y.dataSync() as Int32Array));
    x.dispose();
    y.dispose();
  }
  return out;
}

describe('DataLoader', () => {
  it('batches in order with the right shapes and dtypes, last batch partial', () => {
    const loader = new DataLoader(data(10), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map((b) => b.x.shape)).toEqual([
      [4, 2, 2],
      [4, 2, 2],
      [2, 2, 2],
    ]);
    expect(batches[0]?.x.dtype).toBe('float32');
    expect(batches[0]?.y.dtype).toBe('int32');
    expect(Array.from(batches[2]?.y.dataSync() ?? [])).toEqual([8, 9]);
    expect(Array.from(batches[2]?.x.dataSync() ?? [])).toEqual([32, 33, 34, 35, 36, 37, 38, 39]);
    for (const b of batches) tf.dispose([b.x, b.y]);
  });

  it('keeps float32 targets with their shape', () => {
    const loader = new DataLoader({ x: new Float32Array(6), xShape: [2], y: new Float32Array(6).fill(0.5), yShape: [2] }, { batchSize: 2 });
    const [b] = [...loader];
    expect(b?.y.dtype).toBe('float32');
    expect(b?.y.shape).toEqual([2, 2]);
    tf.dispose([b?.x as tf.Tensor, b?.y as tf.Tensor]);
  });

  it('drops the last partial batch with dropLast', () => {
    const loader = new DataLoader(data(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect(epochLabels(loader)).toHaveLength(8);
  });

  it('shuffles deterministically per seed, reshuffles each epoch, and setEpoch replays an epoch', () => {
    const a = new DataLoader(data(50), { batchSize: 8, shuffle: true, seed: 5 });
    const b = new DataLoader(data(50), { batchSize: 8, shuffle: true, seed: 5 });
    const c = new DataLoader(data(50), { batchSize: 8, shuffle: true, seed: 6 });
    const a0 = epochLabels(a);
    const a1 = epochLabels(a);
    expect(a0).toEqual(epochLabels(b));
    expect(a1).toEqual(epochLabels(b));
    expect(a0).not.toEqual(a1);
    expect(a0).not.toEqual(epochLabels(c));
    expect(a0).toHaveLength(50);
    expect(new Set(a0).size).toBe(50); // a permutation: every sample exactly once
    a.setEpoch(1);
    expect(epochLabels(a)).toEqual(a1);
    // x rows follow their labels
    const [batch] = [...new DataLoader(data(50), { batchSize: 8, shuffle: true, seed: 5 })];
    const ys = batch?.y.dataSync() as Int32Array;
    const xs = batch?.x.dataSync() as Float32Array;
    for (let i = 0; i < ys.length; i++) expect(xs[i * 4]).toBe((ys[i] as number) * 4);
    tf.dispose([batch?.x as tf.Tensor, batch?.y as tf.Tensor]);
  });

  it('normalizes pixels in memory exactly like the normalize() transform', () => {
    const x = new Float32Array([0, 1, 0.5, 0.25]);
    const t = tf.tensor1d(x);
    const viaTensor = normalize()(t);
    const inMemory = normalizePixels(x);
    Array.from(viaTensor.dataSync()).forEach((v, i) => expect(inMemory[i]).toBeCloseTo(v, 6));
    expect(Array.from(normalizePixels([2], 1, 4))).toEqual([0.25]);
    tf.dispose([t, viaTensor]);
  });

  it('applies transforms without leaking tensors', () => {
    const x = new Float32Array([0, 1, 0.5, 0.25]);
    const y = new Int32Array([0, 1, 2, 3]);
    const before = tf.memory().numTensors;
    for (const [transform, expected] of [
      [normalize(), [0, 1, 0.5, 0.25].map((v) => (v - MNIST_MEAN) / MNIST_STD)],
      [scaleTo(-0.5, 1.5), [-0.5, 1.5, 0.5, 0]],
    ] as const) {
      const loader = new DataLoader({ x, xShape: [1], y, yShape: [] }, { batchSize: 4, transform });
      for (const batch of loader) {
        const got = Array.from(batch.x.dataSync());
        got.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
        tf.dispose([batch.x, batch.y]);
      }
    }
    // abandoning an epoch half way leaks nothing either: batches are made lazily
    const loader = new DataLoader(data(10), { batchSize: 2, transform: normalize() });
    for (const batch of loader) {
      tf.dispose([batch.x, batch.y]);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad input with typed errors', () => {
    const ok = data(4);
    expect(() => new DataLoader(ok, { batchSize: 0 })).toThrow(DatasetInputError);
    expect(() => new DataLoader(ok, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => new DataLoader({ ...ok, y: new Int32Array(3) })).toThrow(/x holds 4 samples but y has 3 values/);
    expect(() => new DataLoader({ ...ok, x: new Float32Array(7) })).toThrow(/not a multiple of prod\(xShape\) = 4/);
    expect(() => new DataLoader({ ...ok, x: new Float64Array(16) as unknown as Float32Array })).toThrow(
      /x must be a Float32Array or Int32Array, got Float64Array/,
    );
    expect(() => new DataLoader({ ...ok, y: [0, 1, 2, 3] as unknown as Int32Array })).toThrow(
      /y must be a Float32Array or Int32Array, got Array/,
    );
    expect(() => new DataLoader({ ...ok, xShape: [2, 0] })).toThrow(DatasetInputError);
  });
});
