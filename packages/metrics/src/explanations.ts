import { MetricAbortedError, MetricInputError } from './errors';
import { checkFinite, checkPositiveInt, minMax, type Numeric, type ScoreFn, values } from './input';
import { Rng } from '@logitlab/core';
import { scoreCopies } from './families/copies';
import { scoreAll } from './families/maps';

export interface ConservationEntry {
  /** Sum of the image's relevance. */
  total: number;
  /** The model output being explained. */
  output: number;
  /** |total - output| / |output| (the absolute error when output is 0). */
  relError: number;
}

export interface ConservationReport {
  perImage: ConservationEntry[];
  maxRelError: number;
  meanRelError: number;
}

/**
 * How well relevance is conserved: for each image, compares the sum of its relevance map with
 * the output it explains (Deep Taylor / LRP should give sum R = f(x)). Accumulates in float64.
 */
export function conservationError(relevance: Numeric, outputs: Numeric): ConservationReport {
  const r = values(relevance, 'relevance');
  const f = values(outputs, 'outputs');
  const n = f.length;
  if (n === 0 || r.length % n !== 0) {
    throw new MetricInputError(`relevance has ${r.length} values for ${n} outputs; expected count x pixels`);
  }
  const d = r.length / n;
  const perImage: ConservationEntry[] = [];
  let max = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let j = i * d; j < (i + 1) * d; j++) total += r[j] as number;
    const output = f[i] as number;
    const abs = Math.abs(total - output);
    const relError = output === 0 ? abs : abs / Math.abs(output);
    perImage.push({ total, output, relError });
    max = Math.max(max, relError);
    sum += relError;
  }
  return { perImage, maxRelError: max, meanRelError: sum / n };
}

export type { ScoreFn };

export interface PixelFlippingOptions {
  /** Number of images in `images` (row-major [count, pixels...]). */
  count: number;
  /** Relevance maps shaped like `images`; omit together with `order: 'random'`. */
  relevance?: Numeric;
  /** 'relevance': most relevant pixels first (ties by pixel index). 'random': a seeded random order per image (the baseline). */
  order?: 'relevance' | 'random';
  /** Perturbation steps L; the curve has L + 1 points (step 0 is the unperturbed image). Default 100. */
  steps?: number;
  /** Pixels perturbed per step (each pixel at most once, so steps never overlap). Default 4. */
  pixelsPerStep?: number;
  /** 'uniform': a pixel becomes uniform noise in `range` (seeded); 'min': it becomes range[0]. Default 'uniform'. */
  perturbation?: 'uniform' | 'min';
  /** Pixel value range. Default: [min, max] of `images`. */
  range?: [number, number];
  /** Seed for the noise and the random order. Default 0. */
  seed?: number;
  /** Score at most this many images per call to `f`. Default: all images of a step in one call. */
  batchSize?: number;
  /**
   * Steps scored per call of f (default 1), when a step's images go in one call (no `batchSize` below
   * `count`); above 1, f gets n * count images, step after step, and must score image j for the class
   * of image j mod count.
   */
  copiesPerCall?: number;
  /** Checked before every call to `f`: abort rejects with MetricAbortedError. */
  signal?: AbortSignal;
}

const ORDERS = ['relevance', 'random'] as const;
const PERTURBATIONS = ['uniform', 'min'] as const;

/** The options' names and ranges, checked before any work: an unknown name used to fall back silently. */
function checkOptions(options: PixelFlippingOptions): void {
  if (options === null || typeof options !== 'object')
    throw new MetricInputError(`pixelFlipping options must be an object; got ${String(options)}`);
  const { order, perturbation, range, seed, signal } = options;
  if (order !== undefined && !ORDERS.includes(order))
    throw new MetricInputError(`order must be one of ${ORDERS.map((o) => `'${o}'`).join(', ')}; got ${JSON.stringify(order)}`);
  if (perturbation !== undefined && !PERTURBATIONS.includes(perturbation))
    throw new MetricInputError(
      `perturbation must be one of ${PERTURBATIONS.map((o) => `'${o}'`).join(', ')}; got ${JSON.stringify(perturbation)}`,
    );
  if (range !== undefined) {
    const ok = Array.isArray(range) && range.length === 2 && range.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!ok || range[0] > range[1])
      throw new MetricInputError(
        `range must be [low, high] with finite low <= high; got ${JSON.stringify(range, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`,
      );
  }
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed)))
    throw new MetricInputError(`seed must be a finite number; got ${String(seed)}`);
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new MetricInputError(`signal must be an AbortSignal; got ${String(signal)}`);
}

function throwIfAborted(signal: AbortSignal | undefined, step: number, steps: number): void {
  if (signal?.aborted)
    throw new MetricAbortedError(
      `pixelFlipping was aborted at step ${step} of ${steps}${signal.reason instanceof Error ? `: ${signal.reason.message}` : ''}`,
      {
        cause: signal.reason,
      },
    );
}

export interface PixelFlippingResult {
  /** Mean f(x_k) over images, k = 0..L. */
  curve: Float64Array;
  /** f(x_k) per image, row-major [count, L + 1]. */
  scores: Float32Array;
  /** Mean over images of 1/(L+1) sum_k (f(x_0) - f(x_k)) (Samek et al. 2017, eq. 12). */
  aopc: number;
  /** `aopc` divided by the mean f(x_0), so models with different output scales compare. */
  aopcNormalized: number;
  meanF0: number;
}

/**
 * The pixel-flipping (region perturbation) evaluation of Samek et al. 2017 with single pixels as
 * regions: perturb the most relevant pixels first, `pixelsPerStep` at a time, score after every step,
 * and summarise by AOPC. A good explanation makes f fall fast, so a larger AOPC is better.
 *
 * The noise for every (image, pixel) is drawn once from `seed`, before any ordering, so two
 * explanation methods evaluated with the same seed differ only in the ORDER they perturb pixels
 * in, not in the noise they happen to draw. `f` gets all images of one step in one call (`batchSize`
 * splits it, `copiesPerCall` stacks several steps in one call).
 */
export async function pixelFlipping(f: ScoreFn, images: Numeric, options: PixelFlippingOptions): Promise<PixelFlippingResult> {
  checkOptions(options);
  if (typeof f !== 'function') throw new MetricInputError(`pixelFlipping needs a score function f(batch, count); got ${typeof f}`);
  const { count, order = 'relevance', steps = 100, pixelsPerStep = 4, perturbation = 'uniform', seed = 0 } = options;
  checkPositiveInt(count, 'count');
  checkPositiveInt(pixelsPerStep, 'pixelsPerStep');
  if (!Number.isInteger(steps) || steps < 0) throw new MetricInputError(`steps must be a non-negative integer; got ${steps}`);
  const x = values(images, 'images');
  if (x.length % count !== 0) throw new MetricInputError(`images have ${x.length} values, not a multiple of count = ${count}`);
  const d = x.length / count;
  checkFinite(x, 'images', d);
  if (steps * pixelsPerStep > d) {
    throw new MetricInputError(
      `steps x pixelsPerStep = ${steps * pixelsPerStep} exceeds the ${d} pixels of an image; pixels are perturbed at most once`,
    );
  }
  const [lo, hi] = options.range ?? minMax(x);
  // Separate streams, so the noise is the same whichever order (relevance or random) is evaluated.
  const noise = new Rng(seed);
  const replacement = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) replacement[i] = perturbation === 'min' ? lo : lo + (hi - lo) * noise.next();
  const orders = pixelOrders(options, order, x.length, count, d, new Rng(seed ^ 0x9e3779b9));

  const batchSize = options.batchSize ?? count;
  checkPositiveInt(batchSize, 'batchSize');
  const perCall = options.copiesPerCall ?? 1;
  checkPositiveInt(perCall, 'copiesPerCall');
  if (perCall > 1 && batchSize < count)
    throw new MetricInputError(
      `copiesPerCall = ${perCall} stacks whole steps, and batchSize = ${batchSize} splits a step of ${count} images; give one of them`,
    );
  const { signal } = options;
  const current = Float32Array.from(x);
  // step k's perturbation builds on step k - 1's, so the copies are filled in order
  const perturb = (k: number): void => {
    for (let i = 0; i < count; i++) {
      const ord = orders[i] as Int32Array;
      for (let j = (k - 1) * pixelsPerStep; j < k * pixelsPerStep; j++) {
        const at = i * d + (ord[j] as number);
        current[at] = replacement[at] as number;
      }
    }
  };
  const scores = new Float32Array(count * (steps + 1));
  let filled = 0;
  const keep = (k: number, start: number, out: ArrayLike<number>, from: number, n: number): void => {
    for (let i = 0; i < n; i++) {
      const v = out[from + i] as number;
      // a NaN score turns AOPC into NaN; say which image and step produced it
      if (!Number.isFinite(v))
        throw new MetricInputError(`the score function returned ${v} for image ${start + i} at step ${k}; expected finite scores`);
      scores[(start + i) * (steps + 1) + k] = v;
    }
  };
  if (batchSize >= count) {
    // whole steps, perCall of them per call: the faithfulness metrics' stacked copies
    await scoreCopies(
      async (batch, n) => {
        const first = filled - n / count;
        throwIfAborted(signal, first, steps);
        const out = await f(batch, n);
        // scoreCopies checks the length; a wrong one is reported there
        if (out?.length === n) for (let c = 0; c < n / count; c++) keep(first + c, 0, out, c * count, count);
        return out;
      },
      steps + 1,
      count,
      d,
      perCall,
      (k, out) => {
        if (k > 0) perturb(k);
        out.set(current);
        filled = k + 1;
      },
    );
    return summarise(scores, count, steps);
  }
  for (let k = 0; k <= steps; k++) {
    if (k > 0) perturb(k);
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start);
      throwIfAborted(signal, k, steps);
      const out = await scoreAll(f, current.subarray(start * d, (start + n) * d), n);
      keep(k, start, out, 0, n);
    }
  }
  return summarise(scores, count, steps);
}

function summarise(scores: Float32Array, count: number, steps: number): PixelFlippingResult {
  const curve = new Float64Array(steps + 1);
  let aopc = 0;
  let meanF0 = 0;
  for (let i = 0; i < count; i++) {
    const f0 = scores[i * (steps + 1)] as number;
    let drop = 0;
    for (let k = 0; k <= steps; k++) {
      const fk = scores[i * (steps + 1) + k] as number;
      drop += f0 - fk;
      curve[k]! += fk / count;
    }
    aopc += drop / (steps + 1) / count;
    meanF0 += f0 / count;
  }
  return { curve, scores, aopc, aopcNormalized: aopc / meanF0, meanF0 };
}

function pixelOrders(
  options: PixelFlippingOptions,
  order: 'relevance' | 'random',
  length: number,
  count: number,
  d: number,
  rng: Rng,
): Int32Array[] {
  if (order === 'random') return Array.from({ length: count }, () => rng.permutation(d));
  if (options.relevance === undefined) throw new MetricInputError("order 'relevance' needs options.relevance (or use order: 'random')");
  const r = values(options.relevance, 'relevance');
  if (r.length !== length) throw new MetricInputError(`relevance has ${r.length} values; expected ${length}, the same as images`);
  checkFinite(r, 'relevance', d);
  return Array.from({ length: count }, (_, i) => {
    const idx = Array.from({ length: d }, (_unused, j) => j);
    const base = i * d;
    // Descending relevance; Array.prototype.sort is stable, so ties keep pixel order.
    idx.sort((a, b) => (r[base + b] as number) - (r[base + a] as number));
    return Int32Array.from(idx);
  });
}
