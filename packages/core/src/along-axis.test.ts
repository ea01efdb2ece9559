import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { alongAxis } from './index';

describe('alongAxis', () => {
  it('applies a last-axis op along any axis, negative ones counted from the end', () => {
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    const before = tf.memory().numTensors;
    const y = alongAxis(x, 0, (t) => tf.cumsum(t, t.rank - 1));
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 6, 8, 10, 12]);
    const z = alongAxis(x, -3, (t) => tf.cumsum(t, t.rank - 1));
    expect(Array.from(z.dataSync())).toEqual(Array.from(y.dataSync()));
    tf.dispose([x, y, z]);
  });

  it('leaves the last axis to fn as is', () => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const y = alongAxis(x, -1, (t) => tf.cumsum(t, 1));
    expect(Array.from(y.dataSync())).toEqual([1, 3, 3, 7]);
    tf.dispose([x, y]);
  });
});
