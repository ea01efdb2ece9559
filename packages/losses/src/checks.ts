import * as tf from '@tensorflow/tfjs-core';
import { LossDtypeError, LossShapeError, TargetOutOfBoundsError } from './errors';
import {
  callSite,
  type CheckVerdict,
  deferCheck,
  registerPitfallSource,
  pitfallWarningsEnabled,
  shouldCheck,
  syncReadsWork,
  warnPitfall,
} from '@logitlab/core';

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
 * ignore index. The range is two numbers (min and max) on the device. Inside a training loop's check
 * collection (@logitlab/core's `collectChecks`, as fit opens around each step) they are handed over and
 * read with the losses, so the step holds no host read and the error arrives with the loss read. Outside
 * one they are read back at once, one sync per call (skipped on a backend without sync reads, such as
 * webgpu: a loss returns a tensor, so it cannot wait for a read); pass validate: false to skip them.
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
  if (!validate || target.size === 0) return c;
  const range = tf.tidy(() => {
    const masked = tf.where(tf.equal(target, ignoreIndex), tf.zerosLike(target), target);
    return tf.stack([tf.min(masked), tf.max(masked)]);
  });
  const verdict = ([lo = 0, hi = 0]: readonly number[]) =>
    hi >= c ? new TargetOutOfBoundsError(hi, c) : lo < 0 ? new TargetOutOfBoundsError(lo, c) : undefined;
  checkRange(range, verdict);
  return c;
}

/**
 * Hands a device range and its verdict to the open check collection, or reads it now and throws the
 * verdict's error (nothing where sync reads do not work). Frees `range` either way.
 */
export function checkRange(range: tf.Tensor, verdict: CheckVerdict): void {
  if (deferCheck(range, verdict)) return;
  try {
    if (!syncReadsWork()) return;
    const error = verdict(Array.from(range.dataSync()));
    if (error) throw error;
  } finally {
    range.dispose();
  }
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
