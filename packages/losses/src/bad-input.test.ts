import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  gaussianKl,
  klDiv,
  l1Loss,
  mseLoss,
  nllLoss,
  setPitfallWarnings,
  TargetOutOfBoundsError,
} from './index';

let before = 0;
beforeAll(() => setPitfallWarnings(false));
afterAll(() => setPitfallWarnings(true));
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

const value = (f: () => tf.Tensor): number[] => {
  const t = tf.tidy(f);
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

const z = () => tf.zeros([0, 3]);
const logits = () =>
  tf.tensor2d([
    [0, 1, 2],
    [2, 1, 0],
  ]);

describe('empty inputs give NaN means, as in PyTorch', () => {
  const cases: Array<[string, () => tf.Tensor]> = [
    ['mseLoss', () => mseLoss(z(), z())],
    ['l1Loss', () => l1Loss(z(), z())],
    ['binaryCrossEntropy', () => binaryCrossEntropy(z(), z())],
    ['binaryCrossEntropyWithLogits', () => binaryCrossEntropyWithLogits(z(), z())],
    ['klDiv mean', () => klDiv(z(), z(), { reduction: 'mean' })],
    ['klDiv batchmean', () => klDiv(z(), z(), { reduction: 'batchmean' })],
    ['gaussianKl', () => gaussianKl(z(), z())],
    ['crossEntropy probabilities', () => crossEntropy(z(), z())],
    ['crossEntropy indices', () => crossEntropy(z(), tf.zeros([0], 'int32'))],
    ['nllLoss', () => nllLoss(z(), tf.zeros([0], 'int32'))],
  ];
  for (const [name, f] of cases) it(name, () => expect(value(f)[0]).toBeNaN());
  it("'sum' of nothing stays 0 (PyTorch too)", () => expect(value(() => mseLoss(z(), z(), { reduction: 'sum' }))).toEqual([0]));
});

describe('out-of-range class targets', () => {
  it('throw TargetOutOfBoundsError when validated (the default)', () => {
    expect(() => tf.tidy(() => crossEntropy(logits(), tf.tensor1d([0, 5], 'int32')))).toThrow(TargetOutOfBoundsError);
  });
  it('make the loss NaN with validate: false, never a silent 0 contribution', () => {
    for (const t of [
      [0, 3],
      [0, -1],
      [0, 1000],
    ]) {
      expect(value(() => crossEntropy(logits(), tf.tensor1d(t, 'int32'), { validate: false }))[0], `ce ${t}`).toBeNaN();
      expect(value(() => nllLoss(logits(), tf.tensor1d(t, 'int32'), { validate: false }))[0], `nll ${t}`).toBeNaN();
      const none = value(() => crossEntropy(logits(), tf.tensor1d(t, 'int32'), { validate: false, reduction: 'none' }));
      expect(none[0]).toBeGreaterThan(0);
      expect(none[1]).toBeNaN();
    }
  });
  it('give the out-of-range row no gradient (its NaN loss is a constant), the in-range rows theirs', () => {
    const x = logits();
    const grad = (t: number[]) =>
      tf.tidy(() =>
        tf
          .grad((l: tf.Tensor) => nllLoss(l, tf.tensor1d(t, 'int32'), { validate: false, reduction: 'sum' }))(x)
          .arraySync(),
      ) as number[][];
    const [kept, bad] = grad([2, 7]);
    expect(kept).toEqual([0, 0, -1]);
    expect(bad).toEqual([0, 0, 0]);
    x.dispose();
  });
  it('the ignore index is still skipped with validate: false', () => {
    const [v] = value(() => crossEntropy(logits(), tf.tensor1d([2, -100], 'int32'), { validate: false }));
    expect(v).toBeCloseTo(0.4076, 4);
  });
});
