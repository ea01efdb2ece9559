import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../index';
import { fixMomentumDispose } from './momentum-dispose';

describe('MomentumOptimizer.dispose', () => {
  it.each([false, true])('frees every tensor the optimiser made (nesterov %s), also after a learning-rate change', (nesterov) => {
    fixMomentumDispose(); // idempotent: importing the package already patched it
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const before = tf.memory().numTensors;
    const optimizer = tf.train.momentum(0.1, 0.9, nesterov);
    for (let i = 0; i < 2; i++) optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w]);
    (optimizer as unknown as { setLearningRate(lr: number): void }).setLearningRate(0.05);
    optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w]);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });
});
