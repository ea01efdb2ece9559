import * as tf from '@tensorflow/tfjs-core';
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
  return tf.tidy(() => reduce(tf.abs(tf.sub(input, target)), reduction));
}
