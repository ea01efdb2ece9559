import { MetricInputError } from '../errors';
import type { ScoreFn } from '../input';
import { type Numeric, values } from '../input';
import { checkTargets, type ExplainFn, explainAll, finiteNumber, mapBatch, type PerImageResult, scoreAll, summarise } from './maps';

// Axiomatic (Quantus family 6): properties an attribution should have by construction.

export interface CompletenessOptions {
  count: number;
  /** The reference input: one number for every value, or an array shaped like the images. Default 0. */
  baseline?: number | Numeric;
  /** An image is complete when |gap| <= tolerance * max(|f(x) - f(baseline)|, 1e-12). Default 0.01. */
  tolerance?: number;
}

export interface CompletenessResult extends PerImageResult {
  /** |sum(a) - (f(x) - f(baseline))| / |f(x) - f(baseline)| per image (the absolute gap where the difference is 0); lower is better. */
  perImage: Float64Array;
  /** 1 where the relative gap is within `tolerance`, else 0: Quantus's boolean, with a tolerance instead of float equality. */
  complete: Float64Array;
}

/**
 * Completeness (Sundararajan et al. 2017, Quantus `Completeness`): an attribution should sum to the
 * score difference between the input and the baseline.
 */
export async function completeness(
  f: ScoreFn,
  images: Numeric,
  relevance: Numeric,
  options: CompletenessOptions,
): Promise<CompletenessResult> {
  const { count, baseline = 0, tolerance = 0.01 } = options;
  const { x, a, d } = mapBatch(images, relevance, count);
  finiteNumber(tolerance, 'tolerance');
  let base: Float32Array;
  if (typeof baseline === 'number') {
    finiteNumber(baseline, 'baseline');
    base = new Float32Array(x.length).fill(baseline);
  } else {
    const b = values(baseline, 'baseline');
    if (b.length !== x.length)
      throw new MetricInputError(`baseline has ${b.length} values; expected a number or ${x.length} values shaped like the images`);
    base = Float32Array.from(b);
  }
  const fx = await scoreAll(f, x, count);
  const fb = await scoreAll(f, base, count);
  const perImage = new Float64Array(count);
  const complete = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let total = 0;
    for (let j = i * d; j < (i + 1) * d; j++) total += a[j] as number;
    const diff = (fx[i] as number) - (fb[i] as number);
    const gap = Math.abs(total - diff);
    perImage[i] = diff === 0 ? gap : gap / Math.abs(diff);
    complete[i] = gap <= tolerance * Math.max(Math.abs(diff), 1e-12) ? 1 : 0;
  }
  return { ...summarise(perImage), complete };
}

export interface InputInvarianceOptions {
  count: number;
  targets: Numeric;
  /** Added to every input value (Quantus `input_shift`, default -1). */
  shift?: number;
  /** An image is invariant when max |a - a_shifted| <= tolerance * max(max |a|, 1e-12). Default 1e-3. */
  tolerance?: number;
}

export interface InputInvarianceResult extends PerImageResult {
  /** 1 where the shifted model's map equals the original within `tolerance`, else 0 (Quantus's boolean); higher is better. */
  perImage: Float64Array;
  /** max |a - a_shifted| / max |a| per image. */
  relChange: Float64Array;
}

/**
 * Input invariance (Kindermans et al. 2017, Quantus `InputInvariance`): a model whose first layer
 * absorbs a constant input shift (bias b - W shift) computes the same function on x + shift as the
 * original on x, so an explanation should not change. `explainShifted` explains with that shifted
 * model; it gets x + shift.
 */
export async function inputInvariance(
  explainShifted: ExplainFn,
  images: Numeric,
  relevance: Numeric,
  options: InputInvarianceOptions,
): Promise<InputInvarianceResult> {
  const { count, shift = -1, tolerance = 1e-3 } = options;
  const { x, a, d } = mapBatch(images, relevance, count);
  finiteNumber(shift, 'shift');
  finiteNumber(tolerance, 'tolerance');
  const targets = checkTargets(options.targets, count);
  const b = await explainAll(
    explainShifted,
    Float32Array.from(x, (v) => v + shift),
    count,
    targets,
  );
  const perImage = new Float64Array(count);
  const relChange = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let diff = 0;
    let scale = 0;
    for (let j = i * d; j < (i + 1) * d; j++) {
      diff = Math.max(diff, Math.abs((a[j] as number) - (b[j] as number)));
      scale = Math.max(scale, Math.abs(a[j] as number));
    }
    relChange[i] = diff / Math.max(scale, 1e-12);
    perImage[i] = diff <= tolerance * Math.max(scale, 1e-12) ? 1 : 0;
  }
  return { ...summarise(perImage), relChange };
}
