import * as tf from '@tensorflow/tfjs-core';
import { LossOptionError } from './errors';

export type Reduction = 'mean' | 'sum' | 'none';

export function checkReduction<R extends string>(reduction: R, allowed: readonly R[], fn: string): R {
  if (!allowed.includes(reduction))
    throw new LossOptionError(`${fn}: reduction must be one of ${allowed.map((r) => `'${r}'`).join(', ')}, got '${reduction}'`);
  return reduction;
}

/** Mean over all elements; NaN over zero elements as in PyTorch (tfjs's mean of nothing is 0, which hides an empty batch). */
export function mean(t: tf.Tensor): tf.Tensor {
  return t.size === 0 ? tf.scalar(NaN) : tf.mean(t);
}

/** Mean over all elements, sum, or the per-element tensor itself. */
export function reduce(loss: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return mean(loss);
  if (reduction === 'sum') return tf.sum(loss);
  return loss;
}
