import { MetricInputError } from '../errors';
import { checkPositiveInt, type Numeric, values } from '../input';

/** One number per image and their mean over the finite ones (a metric may be undefined for an image, e.g. a constant map). */
export interface PerImageResult {
  mean: number;
  perImage: Float64Array;
}

/**
 * Explains `count` images (row-major in `batch`) for the given class per image and returns maps shaped
 * like the batch: the explanation method under test, as a callback so metrics never depends on explain.
 */
export type ExplainFn = (batch: Float32Array, count: number, targets: Int32Array) => Numeric | Promise<Numeric>;

/** Images and their maps, checked to hold `count` samples of the same size. */
export interface MapBatch {
  x: Float32Array;
  a: ArrayLike<number>;
  count: number;
  /** Values per sample. */
  d: number;
}

export function mapBatch(images: Numeric, relevance: Numeric, count: number): MapBatch {
  checkPositiveInt(count, 'count');
  const x = Float32Array.from(values(images, 'images'));
  const a = values(relevance, 'relevance');
  if (x.length % count !== 0 || x.length === 0) {
    throw new MetricInputError(`images have ${x.length} values, not a positive multiple of count = ${count}`);
  }
  if (a.length !== x.length) throw new MetricInputError(`relevance has ${a.length} values; expected ${x.length}, the same as images`);
  return { x, a, count, d: x.length / count };
}

export function checkTargets(targets: Numeric, count: number): Int32Array {
  const t = values(targets, 'targets');
  if (t.length !== count) throw new MetricInputError(`targets has ${t.length} entries; expected one class index per image (${count})`);
  for (let i = 0; i < count; i++) {
    const v = t[i] as number;
    if (!Number.isInteger(v) || v < 0) throw new MetricInputError(`targets[${i}] = ${v}; expected a non-negative integer class index`);
  }
  return Int32Array.from(t);
}

/** Calls a score function on all `count` images at once (so it may close over the batch's targets) and checks its answer. */
export async function scoreAll(
  f: (batch: Float32Array, count: number) => unknown,
  batch: Float32Array,
  count: number,
): Promise<Float64Array> {
  const out = (await f(batch, count)) as ArrayLike<number> | undefined;
  if (!out || typeof out.length !== 'number' || out.length !== count) {
    throw new MetricInputError(`the score function returned ${out?.length} values for ${count} images; expected one score per image`);
  }
  return Float64Array.from(out);
}

/** Calls an explanation function and checks that the maps are shaped like the batch. */
export async function explainAll(g: ExplainFn, batch: Float32Array, count: number, targets: Int32Array): Promise<ArrayLike<number>> {
  const out = values(await g(batch, count, targets), 'the explanation function result');
  if (out.length !== batch.length) {
    throw new MetricInputError(
      `the explanation function returned ${out.length} values for ${batch.length} inputs; expected maps shaped like the images`,
    );
  }
  return out;
}

export function summarise(perImage: Float64Array): PerImageResult {
  let sum = 0;
  let n = 0;
  for (const v of perImage) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return { mean: n > 0 ? sum / n : NaN, perImage };
}

/** Pearson correlation of two equally long sequences; NaN when either is constant (as numpy / scipy). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>, xOff = 0, yOff = 0, n = x.length): number {
  let mx = 0;
  let my = 0;
  for (let j = 0; j < n; j++) {
    mx += x[xOff + j] as number;
    my += y[yOff + j] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let j = 0; j < n; j++) {
    const dx = (x[xOff + j] as number) - mx;
    const dy = (y[yOff + j] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Euclidean (Frobenius) norm of a[off..off+n) - b[off..off+n), or of a alone without b. */
export function distance(a: ArrayLike<number>, b: ArrayLike<number> | undefined, off: number, n: number): number {
  let s = 0;
  for (let j = off; j < off + n; j++) s += ((a[j] as number) - (b ? (b[j] as number) : 0)) ** 2;
  return Math.sqrt(s);
}

export function finiteNumber(v: number, what: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new MetricInputError(`${what} must be a finite number; got ${String(v)}`);
}
