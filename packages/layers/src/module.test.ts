import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Module } from './module';
import { StateDictError } from './errors';

class Affine extends Module {
  readonly w = this.registerParameter('weight', tf.ones([3, 2]), {
    torchShape: [2, 3],
    toTorch: (t) => tf.transpose(t),
    fromTorch: (t) => tf.transpose(t),
  });
  forward(x: tf.Tensor): tf.Tensor {
    return tf.matMul(x, this.w);
  }
}

describe('Module', () => {
  it('exports and loads PyTorch layouts without leaking', () => {
    const before = tf.memory().numTensors;
    const m = new Affine();
    const sd = m.stateDict();
    expect(sd['weight']?.shape).toEqual([2, 3]);
    const w = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    m.loadStateDict({ weight: w });
    expect(Array.from(m.w.dataSync())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => m.loadStateDict({ weight: tf.zeros([3, 2]) })).toThrow(StateDictError);
    expect(() => m.loadStateDict({})).toThrow(/missing keys \[weight\]/);
    tf.dispose([w, ...Object.values(sd)]);
    m.dispose();
    // the zeros made inline above are the only tensor outside tidy
    expect(tf.memory().numTensors).toBe(before + 1);
  });
});
