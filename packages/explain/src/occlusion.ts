import * as tf from '@tensorflow/tfjs-core';
import { throwIfAborted } from './abort';
import { ExplainOptionsError } from './errors';
import type { Attribution } from './gradients';
import { forwardScores, forwardScoresAsync, type Scores, type Session } from './session';

export interface OcclusionOptions {
  /** Window [h, w] over an image's rows and columns (all channels at once), or a length on a flat input's feature axis. */
  window?: number | readonly [number, number];
  /** Step between windows (default 1, as captum's). */
  stride?: number | readonly [number, number];
  /** Value an occluded pixel takes (default 0). */
  baseline?: number;
  /** Checked between batches of windows: abort throws ExplainAbortedError. */
  signal?: AbortSignal;
}

/** Most occluded samples (windows x batch size) one call scores, each a forward pass of one sample. */
export const MAX_OCCLUSION_SAMPLES = 2 ** 20;
/** Most values in one batch of occluded copies (16 MiB of float32), so memory stays bounded for large images too. */
const BATCH_VALUES = 2 ** 22;

const pair = (v: number | readonly [number, number], name: string): [number, number] => {
  // a non-array (null, a string) must not be indexed: that failed raw
  const p: [number, number] = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? [v[0], v[1]] : [NaN, NaN];
  if (!p.every((d) => Number.isInteger(d) && d >= 1))
    throw new ExplainOptionsError(`${name} must be a positive integer or a pair of them, got ${JSON.stringify(v)}`);
  return p;
};

interface Plan {
  n: number;
  h: number;
  w: number;
  c: number;
  kh: number;
  kw: number;
  positions: [number, number][];
  /** windows per batch of occluded copies */
  chunk: number;
}

// the options checked and the windows listed, before anything is computed
function plan(x: tf.Tensor, { window, stride = 1 }: OcclusionOptions): Plan {
  if (window === undefined) throw new ExplainOptionsError('occlusion needs window: [h, w] for images, a length for flat inputs');
  if (x.rank !== 4 && x.rank !== 2)
    throw new ExplainOptionsError(`occlusion needs [N, H, W, C] or [N, D] input, got [${x.shape.join(', ')}]`);
  const [n, h, w, c] = x.rank === 4 ? (x.shape as [number, number, number, number]) : [x.shape[0]!, 1, x.shape[1]!, 1];
  const [kh, kw] = x.rank === 4 ? pair(window, 'window') : [1, pair(window as number, 'window')[0]];
  const [sh, sw] = x.rank === 4 ? pair(stride, 'stride') : [1, pair(stride as number, 'stride')[0]];
  if (kh > h || kw > w) throw new ExplainOptionsError(`window [${kh}, ${kw}] is larger than the input [${h}, ${w}]`);
  // counted before the list is built: a 1 x 1 window on a large image would make millions of entries
  const windows = (Math.floor((h - kh) / sh) + 1) * (Math.floor((w - kw) / sw) + 1);
  if (windows * n > MAX_OCCLUSION_SAMPLES)
    throw new ExplainOptionsError(
      `occlusion would score ${windows} windows x ${n} samples = ${windows * n} occluded inputs; the cap is ${MAX_OCCLUSION_SAMPLES} (use a larger window or stride, or fewer samples)`,
    );
  const positions: [number, number][] = [];
  for (let r = 0; r + kh <= h; r += sh) for (let q = 0; q + kw <= w; q += sw) positions.push([r, q]);
  const chunk = Math.max(1, Math.min(Math.floor(512 / n), Math.floor(BATCH_VALUES / x.size)));
  return { n, h, w, c, kh, kw, positions, chunk };
}

/** One batch of occluded copies to score, and the targets to score them at. */
interface Batch {
  input: tf.Tensor;
  target: Int32Array;
}

/**
 * The occlusion loop, apart from how scores are read: yields each batch of occluded copies (the driver
 * scores it, disposes it and sends back its explained scores) and returns the relevance. The sync and
 * the async driver below differ only in that read.
 */
function* occlude(
  p: Plan,
  x: tf.Tensor,
  xs: Float32Array,
  scores: Scores,
  { baseline = 0, signal }: OcclusionOptions,
): Generator<Batch, tf.Tensor, Float32Array> {
  const { n, h, w, c, kh, kw, positions, chunk } = p;
  const pixels = h * w;
  const sums = new Float64Array(n * pixels);
  const counts = new Float64Array(pixels);
  for (let p0 = 0; p0 < positions.length; p0 += chunk) {
    throwIfAborted(signal, `occlusion (window ${p0} of ${positions.length})`);
    const ps = positions.slice(p0, p0 + chunk);
    const batch = new Float32Array(ps.length * x.size);
    ps.forEach(([r, q], j) => {
      batch.set(xs, j * x.size);
      for (let i = 0; i < n; i++) {
        for (let y = r; y < r + kh; y++)
          for (let z = q; z < q + kw; z++)
            batch.fill(baseline, j * x.size + ((i * h + y) * w + z) * c, j * x.size + ((i * h + y) * w + z + 1) * c);
      }
    });
    const target = Int32Array.from({ length: ps.length * n }, (_, k) => scores.target[k % n]!);
    const explained = yield { input: tf.tensor(batch, [ps.length * n, ...x.shape.slice(1)]), target };
    ps.forEach(([r, q], j) => {
      for (let y = r; y < r + kh; y++) {
        for (let z = q; z < q + kw; z++) {
          counts[y * w + z]! += 1;
          for (let i = 0; i < n; i++) sums[i * pixels + y * w + z]! += scores.explained[i]! - explained[j * n + i]!;
        }
      }
    });
  }
  const out = new Float32Array(x.size);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < pixels; q++) {
      const v = counts[q]! > 0 ? sums[i * pixels + q]! / counts[q]! : 0;
      out.fill(v, (i * pixels + q) * c, (i * pixels + q + 1) * c);
    }
  }
  return tf.tensor(out, x.shape);
}

/**
 * Occlusion (Zeiler and Fergus 2014, captum's Occlusion): slide a window of `baseline` over the input;
 * each pixel gets the mean drop of the target's score over the windows that cover it (0 where none does).
 */
export function occlusion(session: Session, x: tf.Tensor, options: OcclusionOptions): Attribution {
  const p = plan(x, options);
  const scores = forwardScores(session, x);
  const steps = occlude(p, x, x.dataSync() as Float32Array, scores, options);
  let step = steps.next();
  while (!step.done) {
    const { input, target } = step.value;
    let explained: Float32Array;
    try {
      explained = forwardScores(session, input, target).explained;
    } finally {
      input.dispose();
    }
    step = steps.next(explained);
  }
  return { relevance: step.value, scores, reference: scores.explained };
}

/** occlusion with x and every batch's scores read asynchronously (explainAsync on webgpu). */
export async function occlusionAsync(session: Session, x: tf.Tensor, options: OcclusionOptions): Promise<Attribution> {
  const p = plan(x, options);
  const scores = forwardScores(session, x);
  const steps = occlude(p, x, (await x.data()) as Float32Array, scores, options);
  let step = steps.next();
  while (!step.done) {
    const { input, target } = step.value;
    let explained: Float32Array;
    try {
      explained = (await forwardScoresAsync(session, input, target)).explained;
    } finally {
      input.dispose();
    }
    step = steps.next(explained);
  }
  return { relevance: step.value, scores, reference: scores.explained };
}
