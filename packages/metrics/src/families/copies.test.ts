import { describe, expect, it } from 'vitest';
import {
  explanationMetrics,
  faithfulnessCorrelation,
  localLipschitzEstimate,
  maxSensitivity,
  type MetricContext,
  MetricInputError,
  monotonicity,
  regionPerturbation,
} from '../index';

// 3 images of 4 x 4 x 1 and 2 classes: class c scores sum(w_c x), so a score or a map is wrong whenever
// a stacked copy's image is paired with another image's target.
const d = 16;
const count = 3;
const w = [Float32Array.from({ length: d }, (_, j) => (j % 5) - 1.5), Float32Array.from({ length: d }, (_, j) => ((j * 3) % 7) - 2)];
const images = Float32Array.from({ length: count * d }, (_, k) => ((k * 7) % 11) / 10);
const targets = Int32Array.from([1, 0, 1]);
const relevance = Float32Array.from(images, (v, k) => v * (w[targets[Math.floor(k / d)]!]![k % d] as number));

/** A score function for stacked copies (image j scored for targets[j mod count]) that records its call sizes. */
function scorer() {
  const calls: number[] = [];
  const f = (batch: Float32Array, n: number) => {
    calls.push(n);
    return Float64Array.from({ length: n }, (_, j) => {
      const wc = w[targets[j % count]!]!;
      return batch.subarray(j * d, (j + 1) * d).reduce((s, v, i) => s + v * (wc[i] as number), 0);
    });
  };
  return { f, calls };
}

/** Gradient x input of that model for the given targets, with its call sizes; squared, so noise moves the map. */
function explainer() {
  const calls: number[] = [];
  const g = (batch: Float32Array, n: number, t: Int32Array) => {
    calls.push(n);
    return Float32Array.from(batch, (v, k) => v * v * (w[t[Math.floor(k / d)]!]![k % d] as number));
  };
  return { g, calls };
}

const ctx = (f: ReturnType<typeof scorer>['f'], over: Partial<MetricContext> = {}): MetricContext => ({
  images,
  relevance,
  count,
  shape: [4, 4, 1],
  targets,
  numClasses: 2,
  score: f,
  explain: explainer().g,
  seed: 1,
  ...over,
});

describe('stacked copies: several perturbed batches per call give the same values', () => {
  it('region perturbation, faithfulness correlation and monotonicity, for copies that divide the steps and copies that do not', async () => {
    const metrics = {
      region: (f: ReturnType<typeof scorer>['f'], copiesPerCall?: number) =>
        regionPerturbation(f, images, relevance, { count, shape: [4, 4, 1], patchSize: 2, regions: 4, seed: 3, copiesPerCall }),
      correlation: (f: ReturnType<typeof scorer>['f'], copiesPerCall?: number) =>
        faithfulnessCorrelation(f, images, relevance, { count, runs: 5, subsetSize: 3, seed: 4, copiesPerCall }),
      monotonicity: (f: ReturnType<typeof scorer>['f'], copiesPerCall?: number) =>
        monotonicity(f, images, relevance, { count, featuresPerStep: 4, copiesPerCall }),
    };
    for (const [name, run] of Object.entries(metrics)) {
      const one = scorer();
      const reference = await run(one.f);
      // one copy of the batch per call: the contract a score function closing over the batch's targets relies on
      expect(new Set(one.calls), name).toEqual(new Set([count]));
      for (const perCall of [2, 3, 100]) {
        const stacked = scorer();
        const r = await run(stacked.f, perCall);
        expect(Array.from(r.perImage), `${name} x${perCall}`).toEqual(Array.from(reference.perImage));
        expect(stacked.calls.length, `${name} x${perCall}`).toBe(Math.ceil(one.calls.length / perCall));
        expect(Math.max(...stacked.calls), `${name} x${perCall}`).toBe(Math.min(perCall, one.calls.length) * count);
      }
    }
  });

  it('robustness explains all noise samples in one call by default, each image for its own target, as one sample per call would', async () => {
    for (const metric of [maxSensitivity, localLipschitzEstimate]) {
      const all = explainer();
      const stacked = await metric(all.g, images, relevance, { count, targets, samples: 4, seed: 9 });
      expect(all.calls).toEqual([4 * count]);
      const one = explainer();
      const single = await metric(one.g, images, relevance, { count, targets, samples: 4, seed: 9, samplesPerCall: 1 });
      expect(one.calls).toEqual([count, count, count, count]);
      expect(Array.from(stacked.perImage)).toEqual(Array.from(single.perImage));
      expect(stacked.perImage.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    }
  });

  it('the registry scores stacked copies when the context allows it, with the same values', async () => {
    for (const e of explanationMetrics.filter((m) => m.family === 'faithfulness')) {
      const one = scorer();
      const stacked = scorer();
      const a = await e.compute(ctx(one.f));
      const b = await e.compute(ctx(stacked.f, { scoreCopiesPerCall: 8 }));
      expect(Array.from(b), e.name).toEqual(Array.from(a));
      expect(stacked.calls.length, e.name).toBeLessThan(one.calls.length);
    }
  });

  it('a copies-per-call that is not a positive integer is a typed error', async () => {
    const { f } = scorer();
    const { g } = explainer();
    for (const bad of [0, 1.5, -2]) {
      await expect(monotonicity(f, images, relevance, { count, featuresPerStep: 4, copiesPerCall: bad })).rejects.toThrow(
        new RegExp(`copiesPerCall must be a positive integer; got ${bad}`),
      );
      await expect(
        regionPerturbation(f, images, relevance, { count, shape: [4, 4, 1], patchSize: 2, regions: 2, copiesPerCall: bad }),
      ).rejects.toThrow(MetricInputError);
      await expect(maxSensitivity(g, images, relevance, { count, targets, samples: 2, samplesPerCall: bad })).rejects.toThrow(
        new RegExp(`copiesPerCall must be a positive integer; got ${bad}`),
      );
    }
  });
});
