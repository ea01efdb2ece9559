import * as tf from '@tensorflow/tfjs-core';
import { replayable } from '@logitlab/core';
import { requireFloat, requireSameShape } from './checks';
import { checkReduction, reduce, type Reduction } from './reduce';

export interface ReductionOptions {
  reduction?: Reduction;
}

/** Squared error; shapes must match exactly (PyTorch only warns when they broadcast, a classic bug). */
export function mseLoss(input: tf.Tensor, target: tf.Tensor, { reduction = 'mean' }: ReductionOptions = {}): tf.Tensor {
  checkReduction(reduction, ['mean', 'sum', 'none'], 'mseLoss');
  requireFloat('mseLoss', 'input', input);
  requireFloat('mseLoss', 'target', target);
  requireSameShape('mseLoss', input, target);
  return tf.tidy(() => reduce(tf.squaredDifference(input, target), reduction));
}

/** Absolute error (gradient sign(x - t), 0 at a tie, as PyTorch). */
export function l1Loss(input: tf.Tensor, target: tf.Tensor, { reduction = 'mean' }: ReductionOptions = {}): tf.Tensor {
  checkReduction(reduction, ['mean', 'sum', 'none'], 'l1Loss');
  requireFloat('l1Loss', 'input', input);
  requireFloat('l1Loss', 'target', target);
  requireSameShape('l1Loss', input, target);
  return tf.tidy(() => reduce(absDiff(input, target), reduction));
}

// tfjs's Abs gradient is -1 at 0; PyTorch's (sign) is 0, which matters at exact ties.
const absDiff = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const d = tf.sub(a, b);
  save([d]);
  return {
    value: tf.abs(d),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const g = tf.mul(dy, tf.sign(saved[0] as tf.Tensor));
      return [g, tf.neg(g)];
    },
  };
});

// only tensor computations (their checks are deferred inside a step): a compiled step may replay them
replayable(mseLoss);
replayable(l1Loss);
