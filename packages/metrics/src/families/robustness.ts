import { Rng } from '@logitlab/core';
import { MetricInputError } from '../errors';
import { checkPositiveInt, type Numeric } from '../input';
import { explainCopies } from './copies';
import { checkTargets, distance, type ExplainFn, finiteNumber, mapBatch, type PerImageResult, summarise } from './maps';

// Robustness (Quantus family 2): how much does the map move when the input moves a little? Lower is
// better. The noise of sample s is drawn for the whole batch at once, in row-major order, from `seed`;
// the perturbed copies are explained together (explainCopies), each image for its own target.

export interface RobustnessOptions {
  count: number;
  /** Class explained per image (the same the maps were computed for). */
  targets: Numeric;
  /** Perturbed copies per image (Quantus `nr_samples`: 200). Default 10. */
  samples?: number;
  seed?: number;
  /** Perturbed copies of the batch explained per call (all of them by default; fewer bounds the explainer's memory). */
  samplesPerCall?: number;
}

export interface MaxSensitivityOptions extends RobustnessOptions {
  /** Noise is uniform in [-radius, radius] (Quantus `lower_bound`, default 0.2). */
  radius?: number;
}

/**
 * Max-sensitivity (Yeh et al. 2019, Quantus `MaxSensitivity`): the largest relative change of the map,
 * ||a(x) - a(x + e)|| / ||a(x)|| (Frobenius norms), over `samples` uniform perturbations e. An all-zero
 * map divides by 1 instead (the change itself), as captum's and our conservation error do.
 */
export async function maxSensitivity(
  explainFn: ExplainFn,
  images: Numeric,
  relevance: Numeric,
  options: MaxSensitivityOptions,
): Promise<PerImageResult> {
  const { radius = 0.2 } = options;
  finiteNumber(radius, 'radius');
  if (radius <= 0) throw new MetricInputError(`radius must be positive; got ${radius}`);
  return worstCase(
    explainFn,
    images,
    relevance,
    options,
    (rng, noise) => rng.fillUniform(noise, -radius, radius),
    (a, b, _e, off, d) => {
      const norm = distance(a, undefined, off, d);
      return distance(a, b, off, d) / (norm > 0 ? norm : 1);
    },
  );
}

export interface LocalLipschitzOptions extends RobustnessOptions {
  /** Standard deviation of the Gaussian noise (Quantus `perturb_std`, default 0.1). */
  std?: number;
}

/**
 * Local Lipschitz estimate (Alvarez-Melis & Jaakkola 2018, Quantus `LocalLipschitzEstimate`): the
 * largest ||a(x) - a(x + e)|| / ||e|| over `samples` Gaussian perturbations e ~ N(0, std^2).
 */
export async function localLipschitzEstimate(
  explainFn: ExplainFn,
  images: Numeric,
  relevance: Numeric,
  options: LocalLipschitzOptions,
): Promise<PerImageResult> {
  const { std = 0.1 } = options;
  finiteNumber(std, 'std');
  if (std <= 0) throw new MetricInputError(`std must be positive; got ${std}`);
  return worstCase(
    explainFn,
    images,
    relevance,
    options,
    (rng, noise) => rng.fillNormal(noise, 0, std),
    (a, b, e, off, d) => distance(a, b, off, d) / distance(e, undefined, off, d),
  );
}

type Ratio = (a: ArrayLike<number>, b: ArrayLike<number>, noise: Float32Array, off: number, d: number) => number;

async function worstCase(
  explainFn: ExplainFn,
  images: Numeric,
  relevance: Numeric,
  options: RobustnessOptions,
  draw: (rng: Rng, noise: Float32Array) => void,
  ratio: Ratio,
): Promise<PerImageResult> {
  const { count, samples = 10, seed = 0 } = options;
  const { x, a, d } = mapBatch(images, relevance, count);
  const targets = checkTargets(options.targets, count);
  checkPositiveInt(samples, 'samples');
  const rng = new Rng(seed);
  const n = x.length;
  // what was actually added per sample, after float32 rounding of x + e
  const noise = new Float32Array(samples * n);
  const maps = await explainCopies(explainFn, targets, samples, d, options.samplesPerCall ?? samples, (s, out) => {
    const e = noise.subarray(s * n, (s + 1) * n);
    draw(rng, e);
    for (let j = 0; j < n; j++) {
      out[j] = (x[j] as number) + (e[j] as number);
      e[j] = (out[j] as number) - (x[j] as number);
    }
  });
  const perImage = new Float64Array(count).fill(-Infinity);
  for (let s = 0; s < samples; s++) {
    const b = maps.subarray(s * n, (s + 1) * n);
    const e = noise.subarray(s * n, (s + 1) * n);
    for (let i = 0; i < count; i++) perImage[i] = Math.max(perImage[i] as number, ratio(a, b, e, i * d, d));
  }
  return summarise(perImage);
}
