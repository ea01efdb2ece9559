import * as tf from '@tensorflow/tfjs-core';
import { LossDtypeError, LossShapeError, TargetOutOfBoundsError } from './errors';
import { callSite, registerPitfallSource, pitfallWarningsEnabled, shouldCheck, syncReadsWork, warnPitfall } from '@logitlab/core';

// Frames in this package (every module here imports this one) are library code: warnings are keyed
// by the user's call site.
registerPitfallSource();

export function shapeStr(t: tf.Tensor): string {
  return `[${t.shape.join(', ')}]`;
}

export function requireFloat(fn: string, what: string, t: tf.Tensor): void {
  if (t.dtype !== 'float32') throw new LossDtypeError(`${fn}: ${what} must be float32, got ${t.dtype}`);
}

export function requireSameShape(fn: string, a: tf.Tensor, b: tf.Tensor, names = ['input', 'target']): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new LossShapeError(`${fn}: ${names[0]} ${shapeStr(a)} and ${names[1]} ${shapeStr(b)} must have the same shape`);
  }
}

/** Checks a class-weight vector [C]. */
export function checkWeight(fn: string, weight: tf.Tensor | undefined, c: number): void {
  if (!weight) return;
  requireFloat(fn, 'weight', weight);
  if (weight.rank !== 1 || weight.shape[0] !== c)
    throw new LossShapeError(`${fn}: weight must have shape [${c}] (one per class), got ${shapeStr(weight)}`);
}

/**
 * Class-index targets: int32, shaped like the input without its class axis, each in [0, C) or the
 * ignore index. The range check reads two numbers (min and max) back from the backend, one sync per
 * call; pass validate: false in hot loops once the data is known to be clean. Skipped on a backend
 * that cannot read synchronously (webgpu): a loss returns a tensor, so it cannot wait for a read.
 */
export function checkClassTargets(fn: string, input: tf.Tensor, target: tf.Tensor, ignoreIndex: number, validate: boolean): number {
  const c = input.shape[input.rank - 1] ?? 0;
  if (input.rank < 1) throw new LossShapeError(`${fn}: input must have a class axis (last), got a scalar`);
  if (target.dtype !== 'int32')
    throw new LossDtypeError(`${fn}: class-index targets must be int32, got ${target.dtype} ${shapeStr(target)}`);
  const expected = input.shape.slice(0, -1);
  if (target.rank !== expected.length || target.shape.some((d, i) => d !== expected[i])) {
    throw new LossShapeError(
      `${fn}: target ${shapeStr(target)} must have shape [${expected.join(', ')}] for input ${shapeStr(input)} (classes on the last axis)`,
    );
  }
  if (validate && target.size > 0 && syncReadsWork()) {
    const range = tf.tidy(() => {
      const masked = tf.where(tf.equal(target, ignoreIndex), tf.zerosLike(target), target);
      return tf.stack([tf.min(masked), tf.max(masked)]);
    });
    const [lo = 0, hi = 0] = range.dataSync();
    range.dispose();
    if (hi >= c) throw new TargetOutOfBoundsError(hi, c);
    if (lo < 0) throw new TargetOutOfBoundsError(lo, c);
  }
  return c;
}

// Data checks for pitfalls read a few rows back from the backend, so each call site is inspected at
// most CHECKS_PER_SITE times: a wrong head shows up on the first batches, and later steps stay sync-free.
const CHECKS_PER_SITE = 3;
const ROWS = 16;
const checksDone = new Map<string, number>();

/** Returns up to ROWS rows of the [.., C] input as JS arrays, or null when this site needs no check. */
export function sampleRowsForCheck(kind: string, input: tf.Tensor): { site: string; rows: Float32Array[] } | null {
  const c = input.shape[input.rank - 1] ?? 0;
  if (input.size === 0 || c === 0) return null;
  if (!pitfallWarningsEnabled() || !syncReadsWork()) return null;
  const site = callSite();
  const key = `${kind}@${site}`;
  const n = checksDone.get(key) ?? 0;
  if (n >= CHECKS_PER_SITE || !shouldCheck(kind, site)) return null;
  checksDone.set(key, n + 1);
  const m = input.size / c;
  const take = Math.min(ROWS, m);
  const flat = tf.tidy(() => tf.slice(tf.reshape(input, [m, c]), [0, 0], [take, c]));
  const data = flat.dataSync() as Float32Array;
  flat.dispose();
  const rows: Float32Array[] = [];
  for (let i = 0; i < take; i++) rows.push(data.subarray(i * c, (i + 1) * c));
  return { site, rows };
}

export function looksLikeProbabilities(rows: Float32Array[], requireSumOne: boolean): boolean {
  return rows.every((r) => {
    let s = 0;
    for (const v of r) {
      if (!(v >= 0 && v <= 1)) return false;
      s += v;
    }
    return !requireSumOne || Math.abs(s - 1) < 1e-3;
  });
}

export { warnPitfall };
