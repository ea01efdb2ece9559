import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LossDtypeError,
  LossOptionError,
  LossShapeError,
  LossValueError,
  TargetOutOfBoundsError,
  binaryCrossEntropy,
  crossEntropy,
  klDiv,
  mseLoss,
  nllLoss,
  resetPitfallWarnings,
  setPitfallWarningSink,
  vaeLoss,
  type Reduction,
} from './index';

let before = 0;
const warnings: string[] = [];
beforeEach(() => {
  before = tf.memory().numTensors;
  warnings.length = 0;
  resetPitfallWarnings();
  setPitfallWarningSink((m) => warnings.push(m));
});
afterEach(() => {
  setPitfallWarningSink(null);
  expect(tf.memory().numTensors).toBe(before);
});

describe('typed errors', () => {
  it('names the bad value and what was expected', () => {
    const logits = tf.zeros([2, 3, 3, 4]);
    const pixT = tf.zeros([2, 3, 3], 'int32');
    const neg = tf.tensor1d([-1, 0], 'int32');
    const flat = tf.zeros([2, 4]);
    const ints = tf.zeros([2, 4], 'int32');
    const p = tf.tensor1d([1.5, 0.2]);
    const q = tf.tensor1d([1, 0]);
    const wrongPix = tf.zeros([2, 3, 4], 'int32');
    expect(() => crossEntropy(logits, wrongPix)).toThrow(/target \[2, 3, 4\] must have shape \[2, 3, 3\]/);
    expect(() => crossEntropy(flat, neg)).toThrow(new TargetOutOfBoundsError(-1, 4).message);
    expect(() => crossEntropy(ints, neg)).toThrow(LossDtypeError);
    expect(() => crossEntropy(flat, pixT)).toThrow(LossShapeError);
    const t01 = tf.tensor1d([0, 1], 'int32');
    const w3 = tf.ones([3]);
    expect(() => crossEntropy(flat, t01, { reduction: 'avg' as Reduction })).toThrow(LossOptionError);
    expect(() => crossEntropy(flat, t01, { weight: w3 })).toThrow(/weight must have shape \[4\]/);
    expect(() => binaryCrossEntropy(p, q)).toThrow(LossValueError);
    expect(() => mseLoss(flat, p)).toThrow(LossShapeError);
    tf.dispose([logits, pixT, neg, flat, ints, p, q, wrongPix, t01, w3]);
  });

  it('validate: false skips the range check (no read-back) and ignoreIndex labels are never range-checked', () => {
    const logits = tf.zeros([3, 4]);
    const t = tf.tensor1d([0, -100, 3], 'int32');
    const ok = crossEntropy(logits, t);
    expect(ok.dataSync()[0]).toBeCloseTo(Math.log(4));
    const bad = tf.tensor1d([0, 9, 3], 'int32');
    const unchecked = crossEntropy(logits, bad, { validate: false });
    // unchecked, yet not silent: the out-of-range target makes the loss NaN instead of contributing 0
    expect(unchecked.dataSync()[0]).toBeNaN();
    tf.dispose([logits, t, ok, bad, unchecked]);
  });

  it('all targets ignored gives NaN as in PyTorch', () => {
    const logits = tf.zeros([2, 3]);
    const t = tf.tensor1d([-100, -100], 'int32');
    const l = nllLoss(logits, t);
    expect(Number.isNaN(l.dataSync()[0])).toBe(true);
    tf.dispose([logits, t, l]);
  });
});

describe('shapes of reductions', () => {
  it('per-pixel crossEntropy none keeps [N, H, W]; klDiv batchmean divides by N; vaeLoss none is per sample', () => {
    const logits = tf.zeros([2, 3, 3, 4]);
    const t = tf.zeros([2, 3, 3], 'int32');
    const none = crossEntropy(logits, t, { reduction: 'none' });
    expect(none.shape).toEqual([2, 3, 3]);
    const lp = tf.tidy(() => tf.mul(tf.ones([4, 2]), Math.log(0.5)));
    const tgt = tf.tensor2d([
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    const bm = klDiv(lp, tgt, { reduction: 'batchmean' });
    expect(bm.dataSync()[0]).toBeCloseTo(Math.log(2));
    const x = tf.ones([3, 5]);
    const mu = tf.ones([3, 2]);
    const lv = tf.zeros([3, 2]);
    const r = vaeLoss({ reconstruction: x, input: x, mu, logVar: lv }, { reduction: 'none' });
    expect(r.loss.shape).toEqual([3]);
    expect(Array.from(r.kl.dataSync())).toEqual([1, 1, 1]);
    tf.dispose([logits, t, none, lp, tgt, bm, x, mu, lv]);
    tf.dispose(r);
  });

  it('vaeLoss stays silent for balanced terms and at the prior', () => {
    const x = tf.ones([2, 4]);
    const r = tf.mul(x, 0.5);
    const mu = tf.ones([2, 3]);
    const zero = tf.zeros([2, 3]);
    tf.dispose(vaeLoss({ reconstruction: r, input: x, mu, logVar: zero }));
    tf.dispose(vaeLoss({ reconstruction: r, input: x, mu: zero, logVar: zero }));
    expect(warnings).toEqual([]);
    tf.dispose([x, r, mu, zero]);
  });

  it('nllLoss names sigmoid-like inputs', () => {
    const sig = tf.tensor2d([
      [0.9, 0.7],
      [0.2, 0.6],
    ]);
    const t = tf.tensor1d([0, 1], 'int32');
    tf.dispose(nllLoss(sig, t));
    expect(warnings[0]).toMatch(/sigmoid outputs/);
    tf.dispose([sig, t]);
  });
});
