import * as tf from '@tensorflow/tfjs-core';

/** Adam's running bias-correction products beta1^t and beta2^t (owned by the optimizer). */
export interface BiasCorrection {
  beta1Power: tf.Variable;
  beta2Power: tf.Variable;
}

/** The tfjs field names of beta1^t and beta2^t (checkpoints name the saved slots after them). */
export const BIAS_CORRECTION_FIELDS = ['accBeta1', 'accBeta2'] as const;

interface AdamInternals {
  accBeta1?: unknown;
  accBeta2?: unknown;
}

/** Adam's beta^t variables, or undefined for optimizers that have none. */
export function readBiasCorrection(optimizer: tf.Optimizer): BiasCorrection | undefined {
  const o = optimizer as unknown as AdamInternals;
  if (o.accBeta1 instanceof tf.Variable && o.accBeta2 instanceof tf.Variable) return { beta1Power: o.accBeta1, beta2Power: o.accBeta2 };
  return undefined;
}

/** Overwrites Adam's beta^t products (after setWeights, which recomputes them less exactly). No-op for others. */
export function writeBiasCorrection(optimizer: tf.Optimizer, values: { beta1Power: tf.Tensor; beta2Power: tf.Tensor }): boolean {
  const live = readBiasCorrection(optimizer);
  if (!live) return false;
  live.beta1Power.assign(values.beta1Power);
  live.beta2Power.assign(values.beta2Power);
  return true;
}
