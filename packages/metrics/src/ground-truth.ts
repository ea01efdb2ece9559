import { MetricInputError } from './errors';
import { checkFinite, checkPositiveInt, checkSameLength, type Numeric, values } from './input';

export interface GroundTruthResult {
  /** Mean over images. */
  mean: number;
  perImage: Float64Array;
}

function split(relevance: Numeric, masks: Numeric, count: number): { r: ArrayLike<number>; m: ArrayLike<number>; d: number } {
  checkPositiveInt(count, 'count');
  const r = values(relevance, 'relevance');
  const m = values(masks, 'masks');
  checkSameLength(r, m, ['relevance', 'masks']);
  if (r.length % count !== 0) throw new MetricInputError(`relevance has ${r.length} values, not a multiple of count = ${count}`);
  const d = r.length / count;
  // all-NaN relevance used to score 0 (NaN > 0 is false), as if the explanation had simply missed
  checkFinite(r, 'relevance', d);
  checkFinite(m, 'masks', d);
  return { r, m, d };
}

function summary(perImage: Float64Array): GroundTruthResult {
  let sum = 0;
  for (const v of perImage) sum += v;
  return { mean: sum / perImage.length, perImage };
}

/**
 * Relevance mass accuracy (Arras et al. 2022, CLEVR-XAI): per image, the share of POSITIVE relevance
 * that falls inside the ground-truth mask (mask value > 0), in [0, 1]; 0 for an image without positive relevance.
 */
export function relevanceMassAccuracy(relevance: Numeric, masks: Numeric, count: number): GroundTruthResult {
  const { r, m, d } = split(relevance, masks, count);
  const perImage = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let inside = 0;
    let total = 0;
    for (let j = i * d; j < (i + 1) * d; j++) {
      const v = Math.max(0, r[j] as number);
      total += v;
      if ((m[j] as number) > 0) inside += v;
    }
    perImage[i] = total > 0 ? inside / total : 0;
  }
  return summary(perImage);
}

/**
 * Relevance rank accuracy (Arras et al. 2022): per image with K mask pixels, the share of the K
 * highest-relevance pixels that lie inside the mask (ties broken by pixel index). Images with an
 * empty mask are an input error: the measure is undefined for them.
 */
export function relevanceRankAccuracy(relevance: Numeric, masks: Numeric, count: number): GroundTruthResult {
  const { r, m, d } = split(relevance, masks, count);
  const perImage = new Float64Array(count);
  const order = new Int32Array(d);
  for (let i = 0; i < count; i++) {
    const off = i * d;
    let k = 0;
    for (let j = 0; j < d; j++) if ((m[off + j] as number) > 0) k++;
    if (k === 0) throw new MetricInputError(`image ${i} has an empty mask; relevance rank accuracy needs at least one ground-truth pixel`);
    for (let j = 0; j < d; j++) order[j] = j;
    order.sort((a, b) => (r[off + b] as number) - (r[off + a] as number) || a - b);
    let hits = 0;
    for (let j = 0; j < k; j++) if ((m[off + (order[j] as number)] as number) > 0) hits++;
    perImage[i] = hits / k;
  }
  return summary(perImage);
}

/** Ranks 1..n with ties given their average rank (as scipy.stats.rankdata). */
function ranks(v: ArrayLike<number>, off: number, n: number): Float64Array {
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh index array; toSorted is ES2023
  const idx = Array.from({ length: n }, (_, j) => j).sort((a, b) => (v[off + a] as number) - (v[off + b] as number));
  const out = new Float64Array(n);
  for (let s = 0; s < n;) {
    let e = s;
    while (e + 1 < n && v[off + idx[e + 1]!] === v[off + idx[s]!]) e++;
    const rank = (s + e) / 2 + 1;
    for (let t = s; t <= e; t++) out[idx[t]!] = rank;
    s = e + 1;
  }
  return out;
}

/**
 * Spearman rank correlation per row of two row-major [count, d] arrays (Pearson correlation of
 * average-tie ranks); NaN for a row where either side is constant.
 */
export function spearman(a: Numeric, b: Numeric, count = 1): GroundTruthResult {
  checkPositiveInt(count, 'count');
  const x = values(a, 'a');
  const y = values(b, 'b');
  checkSameLength(x, y, ['a', 'b']);
  if (x.length % count !== 0) throw new MetricInputError(`a has ${x.length} values, not a multiple of count = ${count}`);
  const d = x.length / count;
  // NaN breaks the sort the ranks come from, silently
  checkFinite(x, 'a', d);
  checkFinite(y, 'b', d);
  const perImage = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const rx = ranks(x, i * d, d);
    const ry = ranks(y, i * d, d);
    const mean = (d + 1) / 2;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let j = 0; j < d; j++) {
      sxy += (rx[j]! - mean) * (ry[j]! - mean);
      sxx += (rx[j]! - mean) ** 2;
      syy += (ry[j]! - mean) ** 2;
    }
    perImage[i] = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
  }
  return summary(perImage);
}
