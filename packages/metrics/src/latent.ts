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
  if (x.length % count !== 0 || x.length === 0)
    throw new MetricInputError(`data has ${x.length} values, not a non-empty multiple of count = ${count}`);
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

/** A fitted 2-D PCA: the scores of the data it was fitted on, and what projects new points the same way. */
export interface Pca2d {
  /** Scores of the fitted data, row-major [count, 2]: points[i] = (x_i - mean) . axes. */
  points: Float64Array;
  /** The fitted data's mean, one value per dimension. */
  mean: Float64Array;
  /** The two principal axes, orthonormal, one value per dimension each (zeros for a missing component). */
  axes: [Float64Array, Float64Array];
}

/**
 * 2-D PCA (druidjs finds the axes). The data are centred first (druid projects uncentred data) so
 * `points` equal sklearn's PCA scores up to each component's sign; the sign is fixed so each
 * component's largest-magnitude score is positive. Rank-deficient data (all points on a line) give a
 * second axis and scores of zeros (druid's power iteration returns NaN there; with finite input
 * checked first, NaN can only mean that). `pcaProject` / `pcaLift` map new points to and from the plane.
 */
export function pca2d(data: Numeric, options: ProjectionOptions): Pca2d {
  const { count, seed = 0 } = options;
  const x = rows(data, count);
  const d = x[0]?.length ?? 0;
  const mean = new Float64Array(d);
  for (const r of x) for (let j = 0; j < d; j++) mean[j]! += (r[j] as number) / count;
  for (const r of x) for (let j = 0; j < d; j++) r[j]! -= mean[j] as number;
  const v = new PCA(x, { d: 2, seed }).principal_components(); // a [d, 2] Matrix
  const axes: [Float64Array, Float64Array] = [new Float64Array(d), new Float64Array(d)];
  for (let c = 0; c < 2; c++) {
    const axis = axes[c] as Float64Array;
    for (let j = 0; j < d; j++) axis[j] = v.entry(j, c);
    if (axis.some((a) => !Number.isFinite(a))) axis.fill(0);
  }
  const pca: Pca2d = { points: new Float64Array(0), mean, axes };
  const points = pcaProject(pca, data);
  for (let c = 0; c < 2; c++) {
    let big = 0;
    for (let i = 0; i < count; i++) if (Math.abs(points[2 * i + c] as number) > Math.abs(big)) big = points[2 * i + c] as number;
    if (big < 0) {
      for (let i = 0; i < count; i++) points[2 * i + c] = -(points[2 * i + c] as number);
      const axis = axes[c] as Float64Array;
      for (let j = 0; j < d; j++) axis[j] = -(axis[j] as number);
    }
  }
  pca.points = points;
  return pca;
}

/** Plane coordinates of new points (row-major [n, dims], the fitted dims), row-major [n, 2]. */
export function pcaProject(pca: Pca2d, data: Numeric): Float64Array {
  const d = pca.mean.length;
  const x = values(data, 'data');
  if (d === 0 || x.length % d !== 0)
    throw new MetricInputError(`data has ${x.length} values, not a multiple of the ${d} dimensions PCA was fitted on`);
  const n = x.length / d;
  const [a1, a2] = pca.axes;
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    let u = 0;
    let w = 0;
    for (let j = 0; j < d; j++) {
      const c = (x[i * d + j] as number) - (pca.mean[j] as number);
      u += c * (a1[j] as number);
      w += c * (a2[j] as number);
    }
    out[2 * i] = u;
    out[2 * i + 1] = w;
  }
  return out;
}

/** The point of the original space at plane coordinates (u, v): mean + u * axis1 + v * axis2. */
export function pcaLift(pca: Pca2d, u: number, v: number): Float64Array {
  const [a1, a2] = pca.axes;
  return pca.mean.map((m, j) => m + u * (a1[j] as number) + v * (a2[j] as number));
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
