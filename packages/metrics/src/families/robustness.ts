import { Rng } from '@logitlab/core';
import { MetricInputError } from '../errors';
import { checkPositiveInt, type Numeric } from '../input';
import { checkTargets, distance, type ExplainFn, explainAll, finiteNumber, mapBatch, type PerImageResult, summarise } from './maps';

// Robustness (Quantus family 2): how much does the map move when the input moves a little? Lower is
// better. The noise of sample s is drawn for the whole batch at once, in row-major order, from `seed`.

export interface RobustnessOptions {
  count: number;
  /** Class explained per image (the same the maps were computed for). */
  targets: Numeric;
  /** Perturbed copies per image (Quantus `nr_samples`: 200). Default 10. */
  samples?: number;
  seed?: number;
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
  const noise = new Float32Array(x.length);
  const perImage = new Float64Array(count).fill(-Infinity);
  for (let s = 0; s < samples; s++) {
    draw(rng, noise);
    const perturbed = Float32Array.from(x, (v, j) => v + (noise[j] as number));
    // what was actually added, after float32 rounding of x + e
    for (let j = 0; j < x.length; j++) noise[j] = (perturbed[j] as number) - (x[j] as number);
    const b = await explainAll(explainFn, perturbed, count, targets);
    for (let i = 0; i < count; i++) perImage[i] = Math.max(perImage[i] as number, ratio(a, b, noise, i * d, d));
  }
  return summarise(perImage);
}
