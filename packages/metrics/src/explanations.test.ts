import { describe, expect, it } from 'vitest';
import { conservationError, MetricInputError, pixelFlipping } from './index';

// A linear "model" f(x) = sum_j w_j x_j with w = [4, 3, 2, 1]; its exact relevance is w * x.
const w = [4, 3, 2, 1];
const linear = (calls: number[]) => (batch: Float32Array, count: number) => {
  calls.push(count);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) for (let j = 0; j < 4; j++) out[i]! += w[j]! * batch[i * 4 + j]!;
  return out;
};

describe('conservationError', () => {
  it('compares relevance sums with outputs per image', () => {
    // image 0: 1 + 2 = 3 vs 3 -> 0 ; image 1: 3 - 1 = 2 vs 4 -> |2 - 4| / 4 = 0.5
    const r = conservationError([1, 2, 3, -1], [3, 4]);
    expect(r.perImage.map((e) => e.total)).toEqual([3, 2]);
    expect(r.perImage.map((e) => e.relError)).toEqual([0, 0.5]);
    expect(r.maxRelError).toBe(0.5);
    expect(r.meanRelError).toBe(0.25);
  });
});

describe('pixelFlipping / AOPC', () => {
  const images = Float32Array.from([1, 1, 1, 1, 1, 0, 1, 1]);
  const relevance = Float32Array.from(images.map((v, i) => v * w[i % 4]!));

  it("'min' perturbation, 1 pixel per step: hand-computed curve and AOPC", async () => {
    // image 0: order 0,1,2,3 -> f = 10, 6, 3, 1 -> drops 0,4,7,9 -> AOPC 20/4 = 5
    // image 1 (x = [1,0,1,1], R = [4,0,2,1]): order 0,2,3,1 -> f = 7, 3, 1, 0 -> drops 0,4,6,7 -> 17/4
    // mean AOPC = (5 + 4.25) / 2 = 4.625 ; mean f0 = 8.5 ; normalised 4.625 / 8.5
    const calls: number[] = [];
    const r = await pixelFlipping(linear(calls), images, {
      count: 2,
      relevance,
      steps: 3,
      pixelsPerStep: 1,
      perturbation: 'min',
      range: [0, 1],
    });
    expect(Array.from(r.scores)).toEqual([10, 6, 3, 1, 7, 3, 1, 0]);
    expect(Array.from(r.curve)).toEqual([8.5, 4.5, 2, 0.5]);
    expect(r.aopc).toBeCloseTo(4.625, 12);
    expect(r.meanF0).toBe(8.5);
    expect(r.aopcNormalized).toBeCloseTo(4.625 / 8.5, 12);
    expect(calls).toEqual([2, 2, 2, 2]); // all images of a step in one call, L + 1 calls
  });

  it('k pixels per step, non-overlapping: k = 2, L = 2', async () => {
    // image 0: f = 10, 3, 0 -> drops 0,7,10 -> 17/3
    const r = await pixelFlipping(linear([]), images.subarray(0, 4), {
      count: 1,
      relevance: relevance.subarray(0, 4),
      steps: 2,
      pixelsPerStep: 2,
      perturbation: 'min',
      range: [0, 1],
    });
    expect(Array.from(r.scores)).toEqual([10, 3, 0]);
    expect(r.aopc).toBeCloseTo(17 / 3, 12);
  });

  it('batchSize splits a step into several calls with the same result', async () => {
    const calls: number[] = [];
    const r = await pixelFlipping(linear(calls), images, {
      count: 2,
      relevance,
      steps: 3,
      pixelsPerStep: 1,
      perturbation: 'min',
      range: [0, 1],
      batchSize: 1,
    });
    expect(calls).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(r.aopc).toBeCloseTo(4.625, 12);
  });

  it('copiesPerCall stacks whole steps in one call, each image scored as alone, with the same numbers', async () => {
    // the linear model scores image j of a stacked call on its own, as a model scoring targets[j mod count] does
    const opts = { count: 2, relevance, steps: 3, pixelsPerStep: 1, range: [0, 1] as [number, number], seed: 5 };
    const one: number[] = [];
    const reference = await pixelFlipping(linear(one), images, opts);
    expect(one).toEqual([2, 2, 2, 2]);
    for (const [perCall, calls] of [
      [2, [4, 4]],
      [3, [6, 2]],
      [100, [8]],
    ] as const) {
      const stacked: number[] = [];
      const r = await pixelFlipping(linear(stacked), images, { ...opts, copiesPerCall: perCall });
      expect(stacked, `x${perCall}`).toEqual(calls);
      expect(Array.from(r.scores), `x${perCall}`).toEqual(Array.from(reference.scores));
      expect(Array.from(r.curve), `x${perCall}`).toEqual(Array.from(reference.curve));
      expect(r.aopc, `x${perCall}`).toBe(reference.aopc);
    }
  });

  it('copiesPerCall: a bad value, or together with a batchSize that splits a step, is a typed error', async () => {
    for (const bad of [0, 1.5, -1])
      await expect(pixelFlipping(linear([]), images, { count: 2, relevance, steps: 1, copiesPerCall: bad })).rejects.toThrow(
        new RegExp(`copiesPerCall must be a positive integer; got ${bad}`),
      );
    await expect(pixelFlipping(linear([]), images, { count: 2, relevance, steps: 1, copiesPerCall: 2, batchSize: 1 })).rejects.toThrow(
      /copiesPerCall = 2 stacks whole steps, and batchSize = 1 splits a step of 2 images; give one of them/,
    );
  });

  it('uniform noise is seeded, in range, and the same for every order', async () => {
    const opts = { count: 2, steps: 4, pixelsPerStep: 1, range: [0, 1] as [number, number], seed: 7 };
    const byRelevance = await pixelFlipping(linear([]), images, { ...opts, relevance });
    const again = await pixelFlipping(linear([]), images, { ...opts, relevance });
    const random = await pixelFlipping(linear([]), images, { ...opts, order: 'random' });
    expect(Array.from(again.scores)).toEqual(Array.from(byRelevance.scores));
    // after all 4 pixels are perturbed, both orders see the very same noise image
    for (const i of [0, 1]) expect(random.scores[i * 5 + 4]).toBe(byRelevance.scores[i * 5 + 4]);
    // the noise image scores within [0, sum w] and differs from the clean score
    const fl = byRelevance.scores[4]!;
    expect(fl).toBeGreaterThanOrEqual(0);
    expect(fl).toBeLessThanOrEqual(10);
    expect(fl).not.toBe(10);
    const other = await pixelFlipping(linear([]), images, { ...opts, relevance, seed: 8 });
    expect(other.scores[4]).not.toBe(fl);
  });

  it('relevance order beats the random baseline on the linear model', async () => {
    // 16 images of ones: the relevance order removes weight 4 first, a random order on average 2.5
    const many = new Float32Array(16 * 4).fill(1);
    const rel = Float32Array.from(many.map((_, i) => w[i % 4]!));
    const opts = { count: 16, steps: 2, pixelsPerStep: 1, perturbation: 'min' as const, range: [0, 1] as [number, number] };
    const good = await pixelFlipping(linear([]), many, { ...opts, relevance: rel });
    const rnd = await pixelFlipping(linear([]), many, { ...opts, order: 'random' });
    expect(good.aopc).toBeCloseTo((0 + 4 + 7) / 3, 12);
    expect(good.aopc).toBeGreaterThan(rnd.aopc);
  });

  it('rejects more perturbed pixels than an image has, and a missing relevance', async () => {
    await expect(pixelFlipping(linear([]), images, { count: 2, relevance, steps: 3, pixelsPerStep: 2 })).rejects.toThrow(MetricInputError);
    await expect(pixelFlipping(linear([]), images, { count: 2, steps: 1 })).rejects.toThrow(/needs options.relevance/);
  });

  it('rejects a score function that returns the wrong number of scores', async () => {
    await expect(pixelFlipping(() => new Float32Array(1), images, { count: 2, relevance, steps: 1 })).rejects.toThrow(
      /returned 1 values for 2 images/,
    );
  });
});
