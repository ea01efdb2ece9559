import { describe, expect, it } from 'vitest';
import {
  attributionLocalisation,
  completeness,
  entropy,
  explanationMetrics,
  faithfulnessCorrelation,
  inputInvariance,
  localLipschitzEstimate,
  maxSensitivity,
  type MetricContext,
  MetricInputError,
  metricFamilies,
  MissingMasksError,
  monotonicity,
  pointingGame,
  randomLogit,
  regionPerturbation,
  selectMetrics,
  sparseness,
} from '../index';

// 2 images of 4 x 4 x 1; a linear score f(x) = sum(w x) whose exact attribution is w * x.
const d = 16;
const w = Float32Array.from({ length: d }, (_, j) => (j % 5) - 1.5);
const images = Float32Array.from({ length: 2 * d }, (_, k) => ((k * 7) % 11) / 10);
const relevance = Float32Array.from(images, (v, k) => v * (w[k % d] as number));
const linear = (batch: Float32Array, n: number) =>
  Float64Array.from({ length: n }, (_, i) => batch.subarray(i * d, (i + 1) * d).reduce((s, v, j) => s + v * (w[j] as number), 0));
const gxi = (batch: Float32Array, _n: number) => Float32Array.from(batch, (v, k) => v * (w[k % d] as number));
const grad = (_b: Float32Array, n: number) => Float32Array.from({ length: n * d }, (_, k) => w[k % d] as number);
const short = () => new Float32Array(1);
const targets = Int32Array.from([0, 1]);
const masks = Float32Array.from({ length: 2 * d }, (_, k) => (k % d < 4 ? 1 : 0));

describe('explanation metric families: behaviour', () => {
  it('completeness is exact for gradient x input of a linear model, and the first pixels flipped are the most relevant', async () => {
    const c = await completeness(linear, images, relevance, { count: 2 });
    expect(Math.max(...c.perImage)).toBeLessThan(1e-6);
    expect(Array.from(c.complete)).toEqual([1, 1]);
    const r = await regionPerturbation(linear, images, relevance, {
      count: 2,
      shape: [4, 4, 1],
      patchSize: 2,
      regions: 4,
      perturbation: 'min',
      range: [0, 1],
    });
    // most relevant patches first: the score drops at every step, then the AOPC beats the reversed map's
    const rev = await regionPerturbation(
      linear,
      images,
      relevance.map((v) => -v),
      { count: 2, shape: [4, 4, 1], patchSize: 2, regions: 4, perturbation: 'min', range: [0, 1] },
    );
    expect(r.mean).toBeGreaterThan(rev.mean);
  });

  it('a linear model explained by its gradient is perfectly robust and input invariant; gradient x input is not invariant', async () => {
    const a = grad(images, 2);
    expect((await maxSensitivity(grad, images, a, { count: 2, targets })).perImage).toEqual(Float64Array.from([0, 0]));
    expect((await localLipschitzEstimate(grad, images, a, { count: 2, targets })).mean).toBe(0);
    expect(Array.from((await inputInvariance(grad, images, a, { count: 2, targets })).perImage)).toEqual([1, 1]);
    expect(Array.from((await inputInvariance(gxi, images, relevance, { count: 2, targets })).perImage)).toEqual([0, 0]);
  });

  it('complexity: one hot map is sparse with zero entropy, a flat one is not; an all-zero map has no entropy (NaN)', () => {
    const hot = new Float32Array(d);
    hot[3] = 2;
    const flat = new Float32Array(d).fill(1);
    expect(sparseness(hot, 1).mean).toBeGreaterThan(0.9);
    expect(sparseness(flat, 1).mean).toBeCloseTo(0, 6);
    expect(entropy(hot, 1).mean).toBe(0);
    expect(entropy(flat, 1).mean).toBeCloseTo(Math.log(d), 12);
    expect(Number.isNaN(entropy(new Float32Array(d), 1).perImage[0])).toBe(true);
  });

  it('monotonicity: with positive weights, putting inputs back least relevant first only raises the score; mixed signs do not', async () => {
    const wp = Float32Array.from(w, (v) => Math.abs(v) + 0.5);
    const positive = (batch: Float32Array, n: number) =>
      Float64Array.from({ length: n }, (_, i) => batch.subarray(i * d, (i + 1) * d).reduce((s, v, j) => s + v * (wp[j] as number), 0));
    const r = await monotonicity(
      positive,
      images,
      Float32Array.from(images, (v, k) => v * (wp[k % d] as number)),
      { count: 2, featuresPerStep: 1 },
    );
    expect(Array.from(r.perImage)).toEqual([1, 1]);
    // negative relevance comes first and lowers the score: not monotonic, though most steps rise
    const mixed = await monotonicity(linear, images, relevance, { count: 2, featuresPerStep: 1 });
    expect(Array.from(mixed.perImage)).toEqual([0, 0]);
    expect(mixed.stepShare[0]).toBeGreaterThan(0);
    expect(mixed.stepShare[0]).toBeLessThan(1);
  });
});

describe('explanation metric families: bad input', () => {
  it('shapes and counts', async () => {
    await expect(regionPerturbation(linear, images, relevance.subarray(0, 20), { count: 2, shape: [4, 4, 1] })).rejects.toThrow(
      /relevance has 20 values; expected 32/,
    );
    await expect(regionPerturbation(linear, images, relevance, { count: 2, shape: [4, 4, 2] })).rejects.toThrow(
      /holds 32 values but an image has 16/,
    );
    await expect(regionPerturbation(linear, images, relevance, { count: 2, shape: [4, 4, 1], patchSize: 2, regions: 5 })).rejects.toThrow(
      /regions = 5 exceeds the 4 patches/,
    );
    await expect(regionPerturbation(linear, images, relevance, { count: 3, shape: [4, 4, 1] })).rejects.toThrow(MetricInputError);
    await expect(
      regionPerturbation(linear, images, relevance, {
        count: 2,
        shape: [4, 4, 1],
        patchSize: 2,
        regions: 2,
        perturbation: 'blur' as 'min',
      }),
    ).rejects.toThrow(/perturbation must be/);
    await expect(faithfulnessCorrelation(linear, images, relevance, { count: 2, subsetSize: 4, runs: 1 })).rejects.toThrow(
      /runs must be an integer >= 2/,
    );
    await expect(faithfulnessCorrelation(linear, images, relevance, { count: 2, subsetSize: 17 })).rejects.toThrow(
      /subsetSize = 17 exceeds the 16 values/,
    );
    await expect(faithfulnessCorrelation(linear, images, relevance, { count: 2, subsetSize: 4, baseline: Number.NaN })).rejects.toThrow(
      /baseline must be a finite number/,
    );
    await expect(monotonicity(linear, images, relevance, { count: 2, featuresPerStep: 3 })).rejects.toThrow(
      /does not divide the 16 values/,
    );
    expect(() => sparseness(new Float32Array(5), 2)).toThrow(/not a positive multiple of count = 2/);
    expect(() => entropy(relevance, 0)).toThrow(/count must be a positive integer; got 0/);
  });

  it('a score or explanation callback that answers the wrong length', async () => {
    await expect(completeness(short, images, relevance, { count: 2 })).rejects.toThrow(/returned 1 values for 2 images/);
    await expect(maxSensitivity(short, images, relevance, { count: 2, targets })).rejects.toThrow(/returned 1 values for 320 inputs/);
    await expect(completeness(linear, images, relevance, { count: 2, baseline: [0, 1] })).rejects.toThrow(/baseline has 2 values/);
  });

  it('robustness and randomisation options', async () => {
    await expect(maxSensitivity(gxi, images, relevance, { count: 2, targets, radius: 0 })).rejects.toThrow(
      /radius must be positive; got 0/,
    );
    await expect(localLipschitzEstimate(gxi, images, relevance, { count: 2, targets, std: -1 })).rejects.toThrow(
      /std must be positive; got -1/,
    );
    await expect(localLipschitzEstimate(gxi, images, relevance, { count: 2, targets: [0] })).rejects.toThrow(/targets has 1 entries/);
    await expect(maxSensitivity(gxi, images, relevance, { count: 2, targets: [0, 1.5] })).rejects.toThrow(/targets\[1\] = 1.5/);
    await expect(maxSensitivity(gxi, images, relevance, { count: 2, targets, samples: 0 })).rejects.toThrow(
      /samples must be a positive integer/,
    );
    await expect(randomLogit(gxi, images, relevance, { count: 2, targets, numClasses: 1 })).rejects.toThrow(
      /numClasses must be an integer >= 2/,
    );
    await expect(randomLogit(gxi, images, relevance, { count: 2, targets: [0, 4], numClasses: 4 })).rejects.toThrow(
      /targets\[1\] = 4; expected a class index below numClasses = 4/,
    );
  });

  it('localisation without masks, with an empty mask, or with masks of another size', () => {
    expect(() => pointingGame(relevance, undefined, 2)).toThrow(MissingMasksError);
    expect(() => attributionLocalisation(relevance, undefined, 2)).toThrow(/attributionLocalisation needs ground-truth masks/);
    expect(() => pointingGame(relevance, masks.subarray(0, 16), 2)).toThrow(/masks has 16/);
    const empty = Float32Array.from(masks);
    empty.fill(0, 16);
    expect(() => pointingGame(relevance, empty, 2)).toThrow(/image 1 has an empty mask/);
  });
});

const ctx = (over: Partial<MetricContext> = {}): MetricContext => ({
  images,
  relevance,
  count: 2,
  shape: [4, 4, 1],
  targets,
  numClasses: 3,
  score: linear,
  explain: gxi,
  explainShifted: gxi,
  masks,
  seed: 1,
  ...over,
});

describe('the metric registry', () => {
  it('every entry belongs to a family, every family has entries, and each gives one finite-or-NaN value per image', async () => {
    expect(new Set(explanationMetrics.map((e) => e.family))).toEqual(new Set(metricFamilies));
    expect(new Set(explanationMetrics.map((e) => e.name)).size).toBe(explanationMetrics.length);
    for (const e of explanationMetrics) {
      const v = await e.compute(ctx());
      expect(v, e.name).toBeInstanceOf(Float64Array);
      expect(v.length, e.name).toBe(2);
    }
  });

  it('entries that need masks throw MissingMasksError without them; the others do not look', async () => {
    for (const e of explanationMetrics) {
      const run = async () => e.compute(ctx({ masks: undefined }));
      if (e.needs.includes('masks')) await expect(run(), e.name).rejects.toThrow(MissingMasksError);
      else await expect(run(), e.name).resolves.toBeInstanceOf(Float64Array);
    }
  });

  it('selects by family and by name, in registry order, each once; unknown names are typed errors', () => {
    expect(selectMetrics(['complexity']).map((e) => e.name)).toEqual(['sparseness', 'entropy']);
    expect(selectMetrics(['entropy', 'complexity', 'pointingGame']).map((e) => e.name)).toEqual(['pointingGame', 'sparseness', 'entropy']);
    expect(selectMetrics('all')).toHaveLength(explanationMetrics.length);
    expect(() => selectMetrics(['faithfullness'])).toThrow(
      /unknown metric or family 'faithfullness'; expected one of faithfulness, robustness/,
    );
  });
});
