import { Rng } from '@logitlab/core';
import { MetricInputError } from '../errors';
import type { Numeric } from '../input';
import { checkTargets, type ExplainFn, explainAll, mapBatch, pearson, type PerImageResult, summarise } from './maps';

// Randomisation (Quantus family 5): does the map change when what it explains changes? Model parameter
// randomisation needs the model's weights, so it lives in @logitlab/explain (`randomisationCheck`).

export interface RandomLogitOptions {
  count: number;
  /** Class each map explains. */
  targets: Numeric;
  numClasses: number;
  seed?: number;
}

export interface RandomLogitResult extends PerImageResult {
  /** Pearson correlation between the map of the target and of a random other class, per image; lower is better. */
  perImage: Float64Array;
  /** The other class drawn per image. */
  offTargets: Int32Array;
}

/**
 * Random logit (Sixt et al. 2020, Quantus `RandomLogit`): explain a uniformly drawn other class and
 * compare the two maps. Quantus's default similarity is SSIM; we use the Pearson correlation of the
 * flattened maps (one of Quantus's `similarity_func` choices), which needs no window or data range
 * and is NaN for a constant map.
 */
export async function randomLogit(
  explainFn: ExplainFn,
  images: Numeric,
  relevance: Numeric,
  options: RandomLogitOptions,
): Promise<RandomLogitResult> {
  const { count, numClasses, seed = 0 } = options;
  const { x, a, d } = mapBatch(images, relevance, count);
  if (!Number.isInteger(numClasses) || numClasses < 2)
    throw new MetricInputError(`numClasses must be an integer >= 2 (there must be another class); got ${numClasses}`);
  const targets = checkTargets(options.targets, count);
  const rng = new Rng(seed);
  const offTargets = Int32Array.from(targets, (t, i) => {
    if (t >= numClasses) throw new MetricInputError(`targets[${i}] = ${t}; expected a class index below numClasses = ${numClasses}`);
    const o = rng.int(numClasses - 1);
    return o >= t ? o + 1 : o;
  });
  const b = await explainAll(explainFn, x, count, offTargets);
  const perImage = Float64Array.from({ length: count }, (_, i) => pearson(a, b, i * d, i * d, d));
  return { ...summarise(perImage), offTargets };
}
