import * as tf from '@tensorflow/tfjs-core';
import { firstNonFinite } from '@logitlab/core';
import { MetricInputError } from './errors';

/**
 * What every metric accepts: a typed array, a plain array, or a tf tensor (read synchronously
 * with dataSync, never disposed: the caller keeps ownership). Metrics compute on the host so
 * they cannot leak tensors and stay fast for the sizes evaluation produces.
 */
export type Numeric = ArrayLike<number> | tf.Tensor;

/** Host values of `x`; tensors are read (not disposed). */
export function values(x: Numeric, what = 'input'): ArrayLike<number> {
  if (x instanceof tf.Tensor) return x.dataSync() as ArrayLike<number>;
  if (x == null || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new MetricInputError(`${what} must be a typed array, array or tf.Tensor; got ${String(x)}`);
  }
  return x;
}

export function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>, names: [string, string]): void {
  if (a.length !== b.length) {
    throw new MetricInputError(`${names[0]} has ${a.length} values but ${names[1]} has ${b.length}; expected the same length`);
  }
}

export function checkPositiveInt(n: number, what: string): void {
  if (!Number.isInteger(n) || n <= 0) throw new MetricInputError(`${what} must be a positive integer; got ${n}`);
}

/** Row-wise argmax of a row-major [rows, cols] matrix (first maximum wins, as numpy/torch). */
export function argmaxRows(scores: ArrayLike<number>, cols: number): Int32Array {
  checkPositiveInt(cols, 'number of columns');
  if (scores.length % cols !== 0) {
    throw new MetricInputError(`scores have ${scores.length} values, not a multiple of ${cols} columns`);
  }
  const rows = scores.length / cols;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestValue = scores[r * cols] as number;
    for (let c = 1; c < cols; c++) {
      const v = scores[r * cols + c] as number;
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}

/**
 * Predicted class indices from either labels (same length as the targets) or scores
 * (a whole multiple of the targets' length: that multiple is the number of classes, class axis last).
 */
export function predictedLabels(pred: Numeric, targetLength: number, what = 'predictions'): ArrayLike<number> {
  const p = values(pred, what);
  if (p.length === targetLength) return p;
  if (targetLength > 0 && p.length % targetLength === 0) return argmaxRows(p, p.length / targetLength);
  throw new MetricInputError(
    `${what} have ${p.length} values for ${targetLength} targets; expected ${targetLength} class indices or ${targetLength} x numClasses scores`,
  );
}

/** Checks that labels are integers in [0, numClasses) and returns them. */
export function checkLabels(labels: ArrayLike<number>, numClasses: number, what: string): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new MetricInputError(`${what}[${i}] = ${v}; expected an integer class index in [0, ${numClasses})`);
    }
  }
}

/** 1 + the largest label seen (what sklearn infers when no label list is given). */
export function inferNumClasses(...arrays: ArrayLike<number>[]): number {
  let max = -1;
  for (const a of arrays) for (let i = 0; i < a.length; i++) max = Math.max(max, a[i] as number);
  return max + 1;
}

/** a / b, or `zeroDivision` when b is 0 (sklearn's zero_division=0 default without the warning). */
export function safeDiv(a: number, b: number, zeroDivision = 0): number {
  return b === 0 ? zeroDivision : a / b;
}

/**
 * Refuses a NaN or +-Infinity in `x` (host values, already read), naming the first one and, given the
 * values per image, which image and pixel it is: a single NaN would otherwise turn a mean into NaN or,
 * compared away, into a confident 0.
 */
export function checkFinite(x: ArrayLike<number>, what: string, perImage?: number): void {
  const i = firstNonFinite(x);
  if (i < 0) return;
  const where = perImage ? ` (image ${Math.floor(i / perImage)}, pixel ${i % perImage})` : '';
  throw new MetricInputError(`${what}[${i}] is ${x[i]}${where}; expected finite values`);
}

/** [min, max] of the values (the default pixel range of the perturbation metrics). */
export function minMax(x: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    lo = Math.min(lo, x[i] as number);
    hi = Math.max(hi, x[i] as number);
  }
  return [lo, hi];
}

/** The model under test: scores `count` images laid out row-major in `batch`, one number per image. */
// here, not in explanations.ts, which uses the faithfulness families' copies: they import it too
export type ScoreFn = (batch: Float32Array, count: number) => Float32Array | ArrayLike<number> | Promise<Float32Array | ArrayLike<number>>;
