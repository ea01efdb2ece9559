import { PCA, TSNE } from '@saehrimnir/druidjs';
import { MetricInputError } from './errors';
import { checkPositiveInt, type Numeric, values } from './input';

export interface ProjectionOptions {
  /** Number of points; `data` is row-major [count, dims]. */
  count: number;
  /** Seed of the projection's random initialisation. Default 0. */
  seed?: number;
}

export interface TsneOptions extends ProjectionOptions {
  /** Effective number of neighbours. Default min(30, (count - 1) / 3), the usual ceiling. */
  perplexity?: number;
  /** Gradient-descent iterations. Default 500. */
  iterations?: number;
  /** Learning rate (druid's epsilon). Default 10. */
  learningRate?: number;
}

function rows(data: Numeric, count: number): Float64Array[] {
  checkPositiveInt(count, 'count');
  const x = values(data, 'data');
  if (x.length % count !== 0 || x.length === 0) throw new MetricInputError(`data has ${x.length} values, not a non-empty multiple of count = ${count}`);
  const d = x.length / count;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i] as number)) throw new MetricInputError(`data[${i}] = ${x[i]}; expected finite values`);
  }
  return Array.from({ length: count }, (_, i) => Float64Array.from({ length: d }, (_unused, j) => x[i * d + j] as number));
}

function flatten2d(y: ArrayLike<ArrayLike<number>>, count: number): Float64Array {
  const out = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) {
    const r = y[i] as ArrayLike<number>;
    out[2 * i] = r[0] as number;
    out[2 * i + 1] = r[1] as number;
  }
  return out;
}

function toRows(y: unknown): ArrayLike<ArrayLike<number>> {
  // druid returns the same container type it was given; we give arrays, but guard against a Matrix.
  const m = y as { to2dArray?: ArrayLike<ArrayLike<number>> };
  return m.to2dArray ?? (y as ArrayLike<ArrayLike<number>>);
}

/**
 * 2-D PCA projection (druidjs), returned row-major [count, 2] in float64. The data are centred
 * first (druid projects uncentred data) so the result equals sklearn's PCA up to each
 * component's sign; the sign is fixed so each component's largest-magnitude score is positive.
 * Rank-deficient data (all points on a line) give a second component of zeros (druid's power
 * iteration returns NaN there; with finite input checked first, NaN can only mean that).
 */
export function pca2d(data: Numeric, options: ProjectionOptions): Float64Array {
  const { count, seed = 0 } = options;
  const x = rows(data, count);
  const d = x[0]?.length ?? 0;
  const mean = new Float64Array(d);
  for (const r of x) for (let j = 0; j < d; j++) mean[j]! += (r[j] as number) / count;
  for (const r of x) for (let j = 0; j < d; j++) r[j]! -= mean[j] as number;
  const out = flatten2d(toRows(new PCA(x, { d: 2, seed }).transform()), count);
  for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) out[i] = 0;
  for (let c = 0; c < 2; c++) {
    let big = 0;
    for (let i = 0; i < count; i++) if (Math.abs(out[2 * i + c] as number) > Math.abs(big)) big = out[2 * i + c] as number;
    if (big < 0) for (let i = 0; i < count; i++) out[2 * i + c] = -(out[2 * i + c] as number);
  }
  return out;
}

/** 2-D t-SNE embedding (druidjs's exact t-SNE, O(count^2): meant for up to a few thousand points), row-major [count, 2]. */
export function tsne2d(data: Numeric, options: TsneOptions): Float64Array {
  const { count, seed = 0, iterations = 500, learningRate = 10 } = options;
  if (count < 4) throw new MetricInputError(`t-SNE needs at least 4 points; got count = ${count}`);
  const perplexity = options.perplexity ?? Math.max(1, Math.min(30, (count - 1) / 3));
  const x = rows(data, count);
  const tsne = new TSNE(x, { d: 2, perplexity, epsilon: learningRate, seed });
  return flatten2d(toRows(tsne.transform(iterations)), count);
}
