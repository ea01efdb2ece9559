// DataLoader inputs that were accepted silently: a NaN (or fractional) shuffle seed ran as seed 0, and a
// transform that changed x's batch size left y as it was, pairing samples with the wrong targets.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataLoader, DatasetInputError } from '../index';

const data = (count: number) => ({
  x: new Float32Array(count * 4).map((_, i) => i),
  xShape: [4],
  y: new Int32Array(count).map((_, i) => i),
  yShape: [] as number[],
});

describe('DataLoader refuses', () => {
  for (const seed of [NaN, Infinity, 1.5, 2 ** 60]) {
    it(`seed ${seed}`, () => {
      expect(() => new DataLoader(data(8), { shuffle: true, seed })).toThrow(DatasetInputError);
      expect(() => new DataLoader(data(8), { shuffle: true, seed })).toThrow(`DataLoader: seed must be an integer, got ${seed}`);
    });
  }

  it('a transform that is not a function', () => {
    expect(() => new DataLoader(data(8), { transform: 'normalize' as never })).toThrow(
      /transform must be a function of the x batch, got string/,
    );
  });

  it('a transform that changes the batch size of x (not of y), freeing every tensor', () => {
    const n = tf.memory().numTensors;
    for (const [transform, got] of [
      [(x: tf.Tensor) => x.slice([0, 0], [2, 4]), 'to 2 (shape [2, 4])'],
      [(x: tf.Tensor) => tf.concat([x, x]), 'to 8 (shape [8, 4])'],
      [(x: tf.Tensor) => x.sum(), 'to (a scalar) (shape [])'],
    ] as const) {
      const loader = new DataLoader(data(8), { batchSize: 4, transform });
      expect(() => [...loader]).toThrow(DatasetInputError);
      expect(() => [...loader]).toThrow(
        `DataLoader: transform changed the batch size of x from 4 ${got}; expected 4, as y still has 4 samples`,
      );
    }
    const loader = new DataLoader(data(8), { batchSize: 4, transform: () => 3 as never });
    expect(() => [...loader]).toThrow(/transform returned number; expected a tensor/);
    expect(tf.memory().numTensors).toBe(n);
  });

  it('still accepts a transform that keeps the batch size (and reshapes the rest)', () => {
    const loader = new DataLoader(data(8), { batchSize: 4, transform: (x) => x.reshape([4, 2, 2]) });
    for (const { x, y } of loader) {
      expect(x.shape).toEqual([4, 2, 2]);
      tf.dispose([x, y]);
    }
  });
});
