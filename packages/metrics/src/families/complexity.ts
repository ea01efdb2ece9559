import { MetricInputError } from '../errors';
import { checkPositiveInt, type Numeric, values } from '../input';
import { type PerImageResult, summarise } from './maps';

// Complexity (Quantus family 4): how concentrated is the map? Computed on |relevance|.

function rows(relevance: Numeric, count: number): { a: ArrayLike<number>; d: number } {
  checkPositiveInt(count, 'count');
  const a = values(relevance, 'relevance');
  if (a.length % count !== 0 || a.length === 0)
    throw new MetricInputError(`relevance has ${a.length} values, not a positive multiple of count = ${count}`);
  return { a, d: a.length / count };
}

/**
 * Sparseness (Chalasani et al. 2020, Quantus `Sparseness`): the Gini index of |a| per image, in [0, 1),
 * with Quantus's 1e-7 added to every sorted value (so an all-zero map scores 0). Higher means fewer
 * inputs carry the relevance.
 */
export function sparseness(relevance: Numeric, count: number): PerImageResult {
  const { a, d } = rows(relevance, count);
  const perImage = new Float64Array(count);
  const v = new Float64Array(d);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < d; j++) v[j] = Math.abs(a[i * d + j] as number);
    v.sort();
    let num = 0;
    let sum = 0;
    for (let k = 0; k < d; k++) {
      const x = (v[k] as number) + 1e-7;
      num += (2 * (k + 1) - d - 1) * x;
      sum += x;
    }
    perImage[i] = num / (d * sum);
  }
  return summarise(perImage);
}

/**
 * Complexity (Bhatt et al. 2020, Quantus `Complexity`): the entropy (natural log) of the fractional
 * contributions |a_j| / sum |a|, per image; lower means fewer inputs carry the relevance. NaN for an
 * all-zero map (no distribution), as scipy.stats.entropy gives.
 */
export function entropy(relevance: Numeric, count: number): PerImageResult {
  const { a, d } = rows(relevance, count);
  const perImage = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let total = 0;
    for (let j = i * d; j < (i + 1) * d; j++) total += Math.abs(a[j] as number);
    let h = 0;
    for (let j = i * d; j < (i + 1) * d; j++) {
      const p = Math.abs(a[j] as number) / total;
      if (p > 0) h -= p * Math.log(p);
    }
    perImage[i] = total > 0 ? h : NaN;
  }
  return summarise(perImage);
}
