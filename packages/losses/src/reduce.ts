import * as tf from '@tensorflow/tfjs-core';
import { LossOptionError } from './errors';

export type Reduction = 'mean' | 'sum' | 'none';

export function checkReduction<R extends string>(reduction: R, allowed: readonly R[], fn: string): R {
  if (!allowed.includes(reduction)) throw new LossOptionError(`${fn}: reduction must be one of ${allowed.map((r) => `'${r}'`).join(', ')}, got '${reduction}'`);
  return reduction;
}

/** Mean over all elements, sum, or the per-element tensor itself. */
export function reduce(loss: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return tf.mean(loss);
  if (reduction === 'sum') return tf.sum(loss);
  return loss;
}
