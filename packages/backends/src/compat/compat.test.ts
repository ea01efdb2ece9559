import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  optimizerLearningRate,
  readBiasCorrection,
  setOptimizerIterations,
  setOptimizerLearningRate,
  TESTED_TFJS_VERSION,
  variableGradsReleasing,
  writeBiasCorrection,
} from './index';

// These tests pin the tfjs internals compat relies on: a tfjs upgrade must fail here first.
describe('compat: the tfjs internals @logitlab/backends/compat relies on', () => {
  it(`runs against the tfjs-core version it was written for (${TESTED_TFJS_VERSION})`, () => {
    expect(tf.version_core).toBe(TESTED_TFJS_VERSION);
  });

  it('sets the learning rate of every tfjs optimizer and the step uses it', () => {
    const makers = {
      sgd: () => tf.train.sgd(0.1),
      momentum: () => tf.train.momentum(0.1, 0.9),
      adam: () => tf.train.adam(0.1),
      adamax: () => tf.train.adamax(0.1),
      rmsprop: () => tf.train.rmsprop(0.1),
      adagrad: () => tf.train.adagrad(0.1),
    };
    for (const [name, make] of Object.entries(makers)) {
      // one step at lr 0 must not move the weight; then lr 0.1 must move it
      const v = tf.variable(tf.scalar(1));
      const opt = make();
      setOptimizerLearningRate(opt, 0);
      expect(optimizerLearningRate(opt), name).toBe(0);
      opt.minimize(() => tf.square(v) as tf.Scalar);
      expect(v.dataSync()[0], name).toBe(1);
      setOptimizerLearningRate(opt, 0.1);
      opt.minimize(() => tf.square(v) as tf.Scalar);
      expect(v.dataSync()[0], name).toBeLessThan(1);
      opt.dispose();
      v.dispose();
    }
  });

  it("reads and writes Adam's bias-correction products (and reports none for SGD)", () => {
    const adam = tf.train.adam(0.01, 0.9, 0.999);
    const v = tf.variable(tf.scalar(1));
    adam.minimize(() => tf.square(v) as tf.Scalar); // one step: beta^t = beta^2
    const bc = readBiasCorrection(adam);
    expect(bc).toBeDefined();
    expect(bc!.beta1Power.dataSync()[0]).toBeCloseTo(0.81, 6);
    expect(writeBiasCorrection(adam, { beta1Power: tf.scalar(0.5), beta2Power: tf.scalar(0.25) })).toBe(true);
    expect(readBiasCorrection(adam)!.beta2Power.dataSync()[0]).toBe(0.25);
    expect(readBiasCorrection(tf.train.sgd(0.1))).toBeUndefined();
    adam.dispose();
    v.dispose();
  });

  it('frees the gradient tape when the objective throws (tf.variableGrads leaks it)', () => {
    const v = tf.variable(tf.ones([4, 4]));
    const throwing = () => {
      const y = tf.relu(tf.matMul(v, v));
      tf.sum(tf.exp(y)); // ops whose backward needs saved tensors
      throw new Error('loss failed');
    };
    const before = tf.memory().numTensors;
    expect(() => tf.variableGrads(throwing as () => tf.Scalar, [v])).toThrow('loss failed');
    const leaked = tf.memory().numTensors - before;
    expect(leaked).toBeGreaterThan(0); // the tfjs behaviour this works around; if this fails, tfjs fixed it
    const mid = tf.memory().numTensors;
    expect(() => variableGradsReleasing(throwing as () => tf.Scalar, [v])).toThrow('loss failed');
    expect(tf.memory().numTensors).toBe(mid);
    v.dispose();
  });

  it("sets the optimizer's step counter (the field behind the public iterations getter)", () => {
    const opt = tf.train.sgd(0.1);
    setOptimizerIterations(opt, 41);
    expect(opt.iterations).toBe(41);
    opt.dispose();
  });

  it('has the engine methods and the Variable.assign traceStep wraps during a recorded step', () => {
    const engine = tf.engine() as unknown as Record<string, unknown>;
    for (const name of ['runKernel', 'makeTensor', 'makeVariable', 'readSync', 'read', 'readToGPU', 'nextTensorId'])
      expect(typeof engine[name], name).toBe('function');
    expect(typeof tf.Variable.prototype.assign).toBe('function');
    // a gradient's saved tensor is an Identity clone made inside the kernel call that saves it
    const calls: string[] = [];
    const hooks = engine as { runKernel: (...a: unknown[]) => unknown };
    const run = hooks.runKernel.bind(engine);
    let depth = 0;
    hooks.runKernel = (...a: unknown[]) => {
      calls.push(`${depth}:${String(a[0])}`);
      depth++;
      try {
        return run(...a);
      } finally {
        depth--;
      }
    };
    try {
      const x = tf.scalar(2);
      tf.dispose(tf.grad((v: tf.Tensor) => tf.exp(v))(x));
      x.dispose();
    } finally {
      delete engine['runKernel'];
    }
    expect(calls.slice(0, 2)).toEqual(['0:Exp', '1:Identity']);
  });
});
