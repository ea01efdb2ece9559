import type * as tf from '@tensorflow/tfjs-core';

interface IterationsInternals {
  iterations_?: number;
}

/**
 * Sets the optimizer's step counter (checkpoints save it). tfjs counts in `applyGradients`; a replayed
 * step never calls it, and a dry-run trace calls it once too often.
 */
export function setOptimizerIterations(optimizer: tf.Optimizer, n: number): void {
  // oxlint-disable-next-line no-underscore-dangle -- tfjs's own field name
  (optimizer as unknown as IterationsInternals).iterations_ = n;
}
