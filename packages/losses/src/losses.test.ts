import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LossDtypeError,
  LossShapeError,
  TargetOutOfBoundsError,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  gaussianKl,
  logSoftmax,
  nllLoss,
  resetPitfallWarnings,
  setPitfallWarningSink,
  setPitfallWarnings,
  softmax,
  vaeLoss,
} from './index';

let before = 0;
const warnings: string[] = [];
beforeEach(() => {
  before = tf.memory().numTensors;
  warnings.length = 0;
  resetPitfallWarnings();
  setPitfallWarnings(true);
  setPitfallWarningSink((m) => warnings.push(m));
});
afterEach(() => {
  setPitfallWarningSink(null);
  expect(tf.memory().numTensors).toBe(before);
});

const value = (t: tf.Tensor): number => {
  const v = t.dataSync()[0] ?? NaN;
  t.dispose();
  return v;
};

describe('crossEntropy basics', () => {
  it('equals -log softmax at the target and matches nllLoss(logSoftmax)', () => {
    const logits = tf.tensor2d([
      [1, 2, 3],
      [1, 0, -1],
    ]);
    const target = tf.tensor1d([2, 0], 'int32');
    const ce = value(crossEntropy(logits, target));
    const lse1 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    const lse2 = Math.log(Math.exp(1) + 1 + Math.exp(-1));
    expect(ce).toBeCloseTo((lse1 - 3 + lse2 - 1) / 2, 5);
    const lp = logSoftmax(logits);
    expect(value(nllLoss(lp, target))).toBeCloseTo(ce, 6);
    tf.dispose([logits, target, lp]);
  });

  it('gives typed errors for out-of-range labels, float labels and bad shapes', () => {
    const logits = tf.zeros([2, 10]);
    const bad = tf.tensor1d([3, 10], 'int32');
    expect(() => crossEntropy(logits, bad)).toThrow(TargetOutOfBoundsError);
    expect(() => crossEntropy(logits, bad)).toThrow('Target 10 is out of bounds for 10 classes');
    const floatLabels = tf.tensor1d([3, 1]);
    expect(() => crossEntropy(logits, floatLabels)).toThrow(LossDtypeError);
    const wrongShape = tf.tensor1d([1, 2, 3], 'int32');
    expect(() => crossEntropy(logits, wrongShape)).toThrow(LossShapeError);
    tf.dispose([logits, bad, floatLabels, wrongShape]);
  });

  it('is finite at logits of 1e4 (loss and gradient)', () => {
    const logits = tf.tensor2d([
      [10000, -10000, 0],
      [-10000, 10000, 10000],
    ]);
    const target = tf.tensor1d([1, 0], 'int32');
    const lv = tf.variable(logits, true, 'ce-logits');
    const { value: v, grads } = tf.variableGrads(() => crossEntropy(lv, target) as tf.Scalar, [lv]);
    expect(v.dataSync()[0]).toBeCloseTo((20000 + 20000 + Math.log(2)) / 2, 0);
    expect(Array.from(grads['ce-logits']!.dataSync()).every(Number.isFinite)).toBe(true);
    const lp = logSoftmax(logits);
    expect(Array.from(lp.dataSync()).every(Number.isFinite)).toBe(true);
    const p = softmax(logits);
    expect(Array.from(p.dataSync())).toEqual([1, 0, 0, 0, 0.5, 0.5]);
    tf.dispose([logits, target, v, lp, p, ...Object.values(grads)]);
    tf.disposeVariables();
  });
});

describe('pitfall guards', () => {
  it('crossEntropy warns once per call site when given probabilities', () => {
    const probs = tf.tensor2d([
      [0.2, 0.8],
      [0.5, 0.5],
    ]);
    const t = tf.tensor1d([1, 0], 'int32');
    for (let i = 0; i < 3; i++) crossEntropy(probs, t).dispose();
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/wants LOGITS/);
    crossEntropy(probs, t).dispose(); // another call site
    expect(warnings.length).toBe(2);
    setPitfallWarnings(false);
    resetPitfallWarnings();
    crossEntropy(probs, t).dispose();
    expect(warnings.length).toBe(2);
    tf.dispose([probs, t]);
  });

  it('nllLoss warns on softmax outputs and positive values but not on log-probabilities', () => {
    const probs = tf.tensor2d([
      [0.2, 0.8],
      [0.5, 0.5],
    ]);
    const t = tf.tensor1d([1, 0], 'int32');
    nllLoss(probs, t).dispose();
    expect(warnings[0]).toMatch(/softmax outputs.*logSoftmax/);
    const lp = tf.log(probs);
    nllLoss(lp, t).dispose();
    expect(warnings.length).toBe(1);
    tf.dispose([probs, t, lp]);
  });

  it('vaeLoss warns when the terms are far apart', () => {
    const x = tf.ones([2, 4]);
    const r = tf.mul(x, 0.5);
    const mu = tf.ones([2, 3]);
    const lv = tf.zeros([2, 3]);
    const res = vaeLoss({ reconstruction: r, input: x, mu, logVar: lv }, { beta: 1000 });
    expect(warnings[0]).toMatch(/unbalanced/);
    expect(res.reconstruction.dataSync()[0]).toBeCloseTo(1);
    expect(res.kl.dataSync()[0]).toBeCloseTo(1.5);
    expect(res.loss.dataSync()[0]).toBeCloseTo(1 + 1500);
    tf.dispose([x, r, mu, lv]);
    tf.dispose(res);
  });
});

describe('binary cross-entropy', () => {
  it('with logits is stable at 1e4 and has PyTorch gradient at 0', () => {
    const init = tf.tensor1d([10000, -10000, 0]);
    const x = tf.variable(init, true, 'bce-x');
    init.dispose();
    const t = tf.tensor1d([0, 1, 1]);
    const { value: v, grads } = tf.variableGrads(() => binaryCrossEntropyWithLogits(x, t, { reduction: 'sum' }) as tf.Scalar, [x]);
    expect(v.dataSync()[0]).toBeCloseTo(20000 + Math.log(2), 0);
    expect(Array.from(grads['bce-x']!.dataSync())).toEqual([1, -1, -0.5]);
    tf.dispose([t, v, ...Object.values(grads)]);
    tf.disposeVariables();
  });

  it('on probabilities clamps the log at -100', () => {
    const p = tf.tensor1d([0, 1]);
    const t = tf.tensor1d([1, 0]);
    expect(value(binaryCrossEntropy(p, t))).toBeCloseTo(100);
    tf.dispose([p, t]);
  });

  it('gaussianKl is zero at the prior', () => {
    const mu = tf.zeros([3, 5]);
    const lv = tf.zeros([3, 5]);
    expect(value(gaussianKl(mu, lv))).toBe(0);
    tf.dispose([mu, lv]);
  });
});
