import * as tf from '@tensorflow/tfjs-core';
import { throwIfAborted } from './abort';
import { ExplainOptionsError } from './errors';
import type { Attribution } from './gradients';
import { forwardScores, type Session } from './session';

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

/**
 * Occlusion (Zeiler and Fergus 2014, captum's Occlusion): slide a window of `baseline` over the input;
 * each pixel gets the mean drop of the target's score over the windows that cover it (0 where none does).
 */
export function occlusion(session: Session, x: tf.Tensor, { window, stride = 1, baseline = 0, signal }: OcclusionOptions): Attribution {
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

  const scores = forwardScores(session, x);
  const pixels = h * w;
  const sums = new Float64Array(n * pixels);
  const counts = new Float64Array(pixels);
  const xs = x.dataSync();
  const chunk = Math.max(1, Math.min(Math.floor(512 / n), Math.floor(BATCH_VALUES / x.size)));
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
    const occluded = tf.tensor(batch, [ps.length * n, ...x.shape.slice(1)]);
    const s = forwardScores(session, occluded, target);
    occluded.dispose();
    ps.forEach(([r, q], j) => {
      for (let y = r; y < r + kh; y++) {
        for (let z = q; z < q + kw; z++) {
          counts[y * w + z]! += 1;
          for (let i = 0; i < n; i++) sums[i * pixels + y * w + z]! += scores.explained[i]! - s.explained[j * n + i]!;
        }
      }
    });
  }
  const out = new Float32Array(x.size);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < pixels; p++) {
      const v = counts[p]! > 0 ? sums[i * pixels + p]! / counts[p]! : 0;
      out.fill(v, (i * pixels + p) * c, (i * pixels + p + 1) * c);
    }
  }
  return { relevance: tf.tensor(out, x.shape), scores, reference: scores.explained };
}
