import * as tf from '@tensorflow/tfjs-core';

/** Adam's running bias-correction products beta1^t and beta2^t (owned by the optimizer). */
export interface BiasCorrection {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

interface AdamInternals {
  accBeta1?: unknown;
  accBeta2?: unknown;
}

/** Adam's beta^t variables, or undefined for optimizers that have none. */
export function readBiasCorrection(optimizer: tf.Optimizer): BiasCorrection | undefined {
  const o = optimizer as unknown as AdamInternals;
  if (o.accBeta1 instanceof tf.Variable && o.accBeta2 instanceof tf.Variable) return { accBeta1: o.accBeta1, accBeta2: o.accBeta2 };
  return undefined;
}

/** Overwrites Adam's beta^t products (after setWeights, which recomputes them less exactly). No-op for others. */
export function writeBiasCorrection(optimizer: tf.Optimizer, values: { accBeta1: tf.Tensor; accBeta2: tf.Tensor }): boolean {
  const live = readBiasCorrection(optimizer);
  if (!live) return false;
  live.accBeta1.assign(values.accBeta1);
  live.accBeta2.assign(values.accBeta2);
  return true;
}
