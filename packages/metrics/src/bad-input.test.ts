import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetricAbortedError, MetricInputError } from './errors';
import { type PixelFlippingOptions, pixelFlipping, type ScoreFn } from './explanations';
import { relevanceMassAccuracy, relevanceRankAccuracy, spearman } from './ground-truth';

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

/** Two 3 x 3 images; the score is the image's sum. */
const images = Float32Array.from({ length: 18 }, (_, i) => (i % 9) / 9);
const relevance = Float32Array.from({ length: 18 }, (_, i) => (i * 7) % 5);
const sum: ScoreFn = (batch, count) =>
  Float32Array.from({ length: count }, (_, i) => batch.subarray(i * 9, (i + 1) * 9).reduce((a, b) => a + b, 0));
const base: PixelFlippingOptions = { count: 2, relevance, steps: 3, pixelsPerStep: 2 };

const withValue = (a: Float32Array, at: number, v: number): Float32Array => {
  const out = Float32Array.from(a);
  out[at] = v;
  return out;
};

describe('pixelFlipping refuses what it used to accept', () => {
  it.each([
    ['an unknown order name', { order: 'relevanceFirst' }, /order must be one of 'relevance', 'random'; got "relevanceFirst"/],
    ['an unknown perturbation name', { perturbation: 'zero' }, /perturbation must be one of 'uniform', 'min'; got "zero"/],
    ['range [NaN, NaN]', { range: [NaN, NaN] }, /range must be \[low, high\] with finite low <= high; got \["NaN","NaN"\]/],
    ['range [1, 0]', { range: [1, 0] }, /range must be \[low, high\] with finite low <= high; got \[1,0\]/],
    ['range [0, Infinity]', { range: [0, Infinity] }, /range must be/],
    ['a one-number range', { range: [0] }, /range must be/],
    ['seed NaN', { seed: NaN }, /seed must be a finite number; got NaN/],
    ['signal {}', { signal: {} }, /signal must be an AbortSignal/],
  ])('%s is a MetricInputError', async (_what, patch, message) => {
    const p = pixelFlipping(sum, images, { ...base, ...(patch as object) } as PixelFlippingOptions);
    await expect(p).rejects.toBeInstanceOf(MetricInputError);
    await expect(pixelFlipping(sum, images, { ...base, ...(patch as object) } as PixelFlippingOptions)).rejects.toThrow(message);
  });

  it('refuses NaN in the images, naming image and pixel', async () => {
    await expect(pixelFlipping(sum, withValue(images, 13, NaN), base)).rejects.toThrow(
      /images\[13\] is NaN \(image 1, pixel 4\); expected finite values/,
    );
  });

  it('refuses Infinity in the relevance', async () => {
    await expect(pixelFlipping(sum, images, { ...base, relevance: withValue(relevance, 2, Infinity) })).rejects.toThrow(
      /relevance\[2\] is Infinity \(image 0, pixel 2\)/,
    );
  });

  it('refuses a score function that returns NaN, naming image and step (AOPC came out NaN)', async () => {
    let calls = 0;
    const nanAfterStart: ScoreFn = (batch, count) => {
      const out = sum(batch, count) as Float32Array;
      if (++calls === 3) out[1] = NaN;
      return out;
    };
    const f0 = pixelFlipping(nanAfterStart, images, { ...base, perturbation: 'min', range: [-1, 1] });
    await expect(f0).rejects.toThrow(/returned NaN for image 1 at step 2/);
    calls = 0;
    const f1 = pixelFlipping(nanAfterStart, images, { ...base, perturbation: 'min', range: [-1, 1] });
    await expect(f1).rejects.toBeInstanceOf(MetricInputError);
    await expect(pixelFlipping(() => [NaN, 1], images, base)).rejects.toThrow(/returned NaN for image 0 at step 0; expected finite scores/);
  });

  it('refuses a score function that is not a function', async () => {
    await expect(pixelFlipping(3 as unknown as ScoreFn, images, base)).rejects.toThrow(/needs a score function/);
  });

  it('still gives a finite AOPC for good input', async () => {
    const r = await pixelFlipping(sum, images, { ...base, perturbation: 'min', range: [0, 1] });
    expect(Number.isFinite(r.aopc)).toBe(true);
    expect(r.aopc).toBeGreaterThan(0);
  });
});

describe('pixelFlipping and AbortSignal', () => {
  it('an aborted signal rejects with MetricAbortedError before the first score', async () => {
    let calls = 0;
    const f: ScoreFn = (b, c) => {
      calls++;
      return sum(b, c);
    };
    await expect(pixelFlipping(f, images, { ...base, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(MetricAbortedError);
    expect(calls).toBe(0);
  });

  it('stops at the next call to f when aborted while scoring', async () => {
    const controller = new AbortController();
    let calls = 0;
    const f: ScoreFn = async (b, c) => {
      if (++calls === 2) controller.abort(new Error('enough'));
      return sum(b, c);
    };
    await expect(pixelFlipping(f, images, { ...base, signal: controller.signal })).rejects.toThrow(/aborted at step 2 of 3: enough/);
    expect(calls).toBe(2);
  });
});

describe('pixelFlipping with stacked steps (copiesPerCall) names the step of a NaN and of an abort', () => {
  // f gets 2 steps of 2 images per call: images 0..3 are steps 2c and 2c + 1
  it('a NaN in the second call, second step of it: image 1 at step 3', async () => {
    let calls = 0;
    const f: ScoreFn = (batch, count) => {
      const out = sum(batch, count) as Float32Array;
      if (++calls === 2) out[3] = NaN;
      return out;
    };
    await expect(pixelFlipping(f, images, { ...base, copiesPerCall: 2 })).rejects.toThrow(/returned NaN for image 1 at step 3/);
  });

  it('an abort during the first call stops before the second, at step 2', async () => {
    const controller = new AbortController();
    let calls = 0;
    const f: ScoreFn = (batch, count) => {
      calls++;
      controller.abort(new Error('enough'));
      return sum(batch, count);
    };
    await expect(pixelFlipping(f, images, { ...base, copiesPerCall: 2, signal: controller.signal })).rejects.toThrow(
      /aborted at step 2 of 3: enough/,
    );
    expect(calls).toBe(1);
  });
});

describe('ground-truth metrics on non-finite relevance', () => {
  const masks = Float32Array.from({ length: 18 }, (_, i) => (i % 3 === 0 ? 1 : 0));

  it('relevanceMassAccuracy refuses all-NaN relevance (it returned 0)', () => {
    expect(() => relevanceMassAccuracy(new Float32Array(18).fill(NaN), masks, 2)).toThrow(MetricInputError);
    expect(() => relevanceMassAccuracy(new Float32Array(18).fill(NaN), masks, 2)).toThrow(/relevance\[0\] is NaN \(image 0, pixel 0\)/);
  });

  it('relevanceRankAccuracy and spearman refuse NaN too, also from a tensor', () => {
    const r = tf.tensor1d(withValue(relevance, 10, NaN));
    expect(() => relevanceRankAccuracy(r, masks, 2)).toThrow(/relevance\[10\] is NaN \(image 1, pixel 1\)/);
    expect(() => spearman(relevance, withValue(relevance, 4, -Infinity), 2)).toThrow(/b\[4\] is -Infinity/);
    r.dispose();
  });

  it('refuses a NaN in the masks', () => {
    expect(() => relevanceMassAccuracy(relevance, withValue(masks, 0, NaN), 2)).toThrow(/masks\[0\] is NaN/);
  });
});
