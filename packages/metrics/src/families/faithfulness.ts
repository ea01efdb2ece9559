import { Rng } from '@logitlab/core';
import { MetricInputError } from '../errors';
import type { ScoreFn } from '../input';
import { checkPositiveInt, minMax, type Numeric } from '../input';
import { scoreCopies } from './copies';
import { finiteNumber, mapBatch, pearson, type PerImageResult, summarise } from './maps';

// Faithfulness (Quantus family 1): does removing what the map calls relevant change the model's score?
// Every function calls `f` with all `count` images at once, in their order, so `f` may close over the
// batch's targets.

export interface RegionPerturbationOptions {
  count: number;
  /** Shape of one image, channels last: [height, width, channels]. */
  shape: readonly [number, number, number];
  /** Side of the square, non-overlapping patches (Quantus default 8; edge patches are clipped). Default 4. */
  patchSize?: number;
  /** Patches perturbed, most relevant first (Quantus's `regions_evaluation`). Default 20. */
  regions?: number;
  /** 'uniform': noise in `range`, drawn once per (image, value) from `seed` (Quantus's default baseline); 'min': range[0]. */
  perturbation?: 'uniform' | 'min';
  /** Default [min, max] of the images. */
  range?: readonly [number, number];
  seed?: number;
  /** Perturbed copies of the batch scored per call of f (default 1); above 1, f gets n * count images and must score image j for the class of image j mod count. */
  copiesPerCall?: number;
}

export interface RegionPerturbationResult extends PerImageResult {
  /** Per image AOPC = 1/(L+1) sum_{k=0..L} (f(x_0) - f(x_k)), the mean is over images. */
  perImage: Float64Array;
  /** f(x_k) per image, row-major [count, L + 1]. */
  scores: Float64Array;
}

/**
 * Region perturbation (Samek et al. 2017, Quantus `RegionPerturbation`, order 'morf'): the image is cut
 * into a grid of patchSize x patchSize patches, ranked by their summed relevance (ties by patch index,
 * row-major), and the `regions` most relevant are replaced one after another; a faithful map makes the
 * score fall fast, so a larger AOPC is better.
 */
export async function regionPerturbation(
  f: ScoreFn,
  images: Numeric,
  relevance: Numeric,
  options: RegionPerturbationOptions,
): Promise<RegionPerturbationResult> {
  const { count, shape, patchSize = 4, regions = 20, perturbation = 'uniform', seed = 0 } = options;
  const { x, a, d } = mapBatch(images, relevance, count);
  const [h, w, c] = checkShape(shape, d);
  checkPositiveInt(patchSize, 'patchSize');
  const rows = Math.ceil(h / patchSize);
  const cols = Math.ceil(w / patchSize);
  checkPositiveInt(regions, 'regions');
  if (regions > rows * cols)
    throw new MetricInputError(`regions = ${regions} exceeds the ${rows * cols} patches of ${patchSize}x${patchSize} in a ${h}x${w} image`);
  const [lo, hi] = options.range ?? minMax(x);
  const replacement = new Float32Array(x.length);
  if (perturbation === 'min') replacement.fill(lo);
  else if (perturbation === 'uniform') new Rng(seed).fillUniform(replacement, lo, hi);
  else throw new MetricInputError(`perturbation must be 'uniform' or 'min'; got ${String(perturbation)}`);

  const patchOf = (p: number): number[] => {
    const py = Math.floor(p / cols) * patchSize;
    const px = (p % cols) * patchSize;
    const at: number[] = [];
    for (let y = py; y < Math.min(py + patchSize, h); y++)
      for (let xx = px; xx < Math.min(px + patchSize, w); xx++) for (let ch = 0; ch < c; ch++) at.push((y * w + xx) * c + ch);
    return at;
  };
  const patches = Array.from({ length: rows * cols }, (_, p) => patchOf(p));
  const orders = Array.from({ length: count }, (_, i) => {
    const sums = patches.map((at) => at.reduce((s, j) => s + (a[i * d + j] as number), 0));
    // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh index array; stable, so ties keep patch order
    return Array.from({ length: patches.length }, (_unused, p) => p).sort((p, q) => (sums[q] as number) - (sums[p] as number));
  });
  const current = Float32Array.from(x);
  const byStep = await scoreCopies(f, regions + 1, count, d, options.copiesPerCall ?? 1, (k, out) => {
    if (k > 0) {
      for (let i = 0; i < count; i++) for (const j of patches[orders[i]![k - 1]!]!) current[i * d + j] = replacement[i * d + j] as number;
    }
    out.set(current);
  });
  const scores = new Float64Array(count * (regions + 1));
  for (let k = 0; k <= regions; k++) for (let i = 0; i < count; i++) scores[i * (regions + 1) + k] = byStep[k * count + i] as number;
  const perImage = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const f0 = scores[i * (regions + 1)] as number;
    let drop = 0;
    for (let k = 0; k <= regions; k++) drop += f0 - (scores[i * (regions + 1) + k] as number);
    perImage[i] = drop / (regions + 1);
  }
  return { ...summarise(perImage), scores };
}

export interface FaithfulnessCorrelationOptions {
  count: number;
  /** Random subsets drawn per image (Quantus `nr_runs`, default 100). */
  runs?: number;
  /** Values per subset (Quantus `subset_size`, default 224 for ImageNet). Default 28. */
  subsetSize?: number;
  /** The value a chosen input is set to (Quantus's 'black' baseline). Default 0. */
  baseline?: number;
  seed?: number;
  /** Perturbed copies of the batch scored per call of f (default 1); above 1, f gets n * count images and must score image j for the class of image j mod count. */
  copiesPerCall?: number;
}

/**
 * Faithfulness correlation (Bhatt et al. 2020, Quantus `FaithfulnessCorrelation`): per image, `runs`
 * random subsets of `subsetSize` inputs are set to `baseline`; the Pearson correlation between the
 * subsets' summed relevance and the score drops f(x) - f(x_subset) over the runs. Higher is better;
 * NaN for an image whose drops or sums are constant. Subset r of image i is the first `subsetSize`
 * entries of a seeded permutation, drawn run by run, image by image.
 */
export async function faithfulnessCorrelation(
  f: ScoreFn,
  images: Numeric,
  relevance: Numeric,
  options: FaithfulnessCorrelationOptions,
): Promise<PerImageResult> {
  const { count, runs = 100, subsetSize = 28, baseline = 0, seed = 0 } = options;
  const { x, a, d } = mapBatch(images, relevance, count);
  if (!Number.isInteger(runs) || runs < 2)
    throw new MetricInputError(`runs must be an integer >= 2 (a correlation needs two points); got ${runs}`);
  checkPositiveInt(subsetSize, 'subsetSize');
  if (subsetSize > d) throw new MetricInputError(`subsetSize = ${subsetSize} exceeds the ${d} values of an image`);
  finiteNumber(baseline, 'baseline');
  const rng = new Rng(seed);
  const sums = new Float64Array(count * runs);
  // copy 0 is the image itself (f0), copy r + 1 is run r
  const scores = await scoreCopies(f, runs + 1, count, d, options.copiesPerCall ?? 1, (k, out) => {
    out.set(x);
    if (k === 0) return;
    for (let i = 0; i < count; i++) {
      const perm = rng.permutation(d);
      let s = 0;
      for (let j = 0; j < subsetSize; j++) {
        const at = i * d + (perm[j] as number);
        s += a[at] as number;
        out[at] = baseline;
      }
      sums[i * runs + k - 1] = s;
    }
  });
  const drops = new Float64Array(count * runs);
  for (let r = 0; r < runs; r++)
    for (let i = 0; i < count; i++) drops[i * runs + r] = (scores[i] as number) - (scores[(r + 1) * count + i] as number);
  const perImage = Float64Array.from({ length: count }, (_, i) => pearson(sums, drops, i * runs, i * runs, runs));
  return summarise(perImage);
}

export interface MonotonicityOptions {
  count: number;
  /** Inputs added per step (Quantus `features_in_step`, default 1); must divide the values per image. Default 28. */
  featuresPerStep?: number;
  /** The value every input starts from. Default 0. */
  baseline?: number;
  /** Perturbed copies of the batch scored per call of f (default 1); above 1, f gets n * count images and must score image j for the class of image j mod count. */
  copiesPerCall?: number;
}

export interface MonotonicityResult extends PerImageResult {
  /** 1 where the score never fell while inputs were added back, else 0 (Quantus's boolean); the mean is the share of monotonic images. */
  perImage: Float64Array;
  /** Share of steps whose score did not fall, per image: a graded version of the same test. */
  stepShare: Float64Array;
}

/**
 * Monotonicity (Arya et al. 2019, Quantus `Monotonicity`): starting from an all-baseline input, the
 * image's own values are put back least relevant first (ascending relevance, ties by index),
 * `featuresPerStep` at a time, scoring after each step; the map is monotonic when the scores never
 * decrease. Higher is better.
 */
export async function monotonicity(
  f: ScoreFn,
  images: Numeric,
  relevance: Numeric,
  options: MonotonicityOptions,
): Promise<MonotonicityResult> {
  const { count, featuresPerStep = 28, baseline = 0 } = options;
  const { x, a, d } = mapBatch(images, relevance, count);
  checkPositiveInt(featuresPerStep, 'featuresPerStep');
  if (d % featuresPerStep !== 0)
    throw new MetricInputError(`featuresPerStep = ${featuresPerStep} does not divide the ${d} values of an image`);
  finiteNumber(baseline, 'baseline');
  const steps = d / featuresPerStep;
  const orders = Array.from({ length: count }, (_, i) =>
    // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh index array; stable, so ties keep index order
    Array.from({ length: d }, (_unused, j) => j).sort((p, q) => (a[i * d + p] as number) - (a[i * d + q] as number)),
  );
  const current = new Float32Array(x.length).fill(baseline);
  const scores = await scoreCopies(f, steps, count, d, options.copiesPerCall ?? 1, (k, out) => {
    for (let i = 0; i < count; i++)
      for (let j = k * featuresPerStep; j < (k + 1) * featuresPerStep; j++)
        current[i * d + orders[i]![j]!] = x[i * d + orders[i]![j]!] as number;
    out.set(current);
  });
  const rises = new Float64Array(count);
  for (let k = 1; k < steps; k++)
    for (let i = 0; i < count; i++) if ((scores[k * count + i] as number) >= (scores[(k - 1) * count + i] as number)) rises[i]! += 1;
  const stepShare = Float64Array.from(rises, (r) => (steps > 1 ? r / (steps - 1) : 1));
  const perImage = Float64Array.from(stepShare, (s) => (s === 1 ? 1 : 0));
  return { ...summarise(perImage), stepShare };
}

function checkShape(shape: readonly number[], d: number): [number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 3 || shape.some((s) => !Number.isInteger(s) || s <= 0)) {
    throw new MetricInputError(`shape must be [height, width, channels] of positive integers; got ${JSON.stringify(shape)}`);
  }
  const [h, w, c] = shape as [number, number, number];
  if (h * w * c !== d) throw new MetricInputError(`shape [${h}, ${w}, ${c}] holds ${h * w * c} values but an image has ${d}`);
  return [h, w, c];
}
