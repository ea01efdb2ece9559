import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerKind, OptimizerSpec } from './types';

/** The optimisers a recipe can train with (tfjs's, named as in PyTorch: SGD, SGD with momentum, Adam). */
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'momentum', 'adam'];

// Momentum for a recipe switched to 'momentum' that states none: PyTorch's examples' usual 0.9.
const DEFAULT_MOMENTUM = 0.9;

export function makeOptimizer(spec: OptimizerSpec, lr = spec.lr): tf.Optimizer {
  if (spec.kind === 'momentum') return tf.train.momentum(lr, spec.momentum);
  return spec.kind === 'sgd' ? tf.train.sgd(lr) : tf.train.adam(lr);
}

export function describeOptimizer(spec: OptimizerSpec, lr = spec.lr): string {
  if (spec.kind === 'momentum') return `SGD lr ${lr} momentum ${spec.momentum}`;
  return spec.kind === 'sgd' ? `SGD lr ${lr}` : `Adam lr ${lr}`;
}

/** `spec` switched to another optimiser and rate; a momentum spec keeps its momentum, others get 0.9. */
export function withOptimizer(spec: OptimizerSpec, kind: OptimizerKind = spec.kind, lr = spec.lr): OptimizerSpec {
  if (kind !== 'momentum') return { kind, lr };
  return { kind, lr, momentum: spec.kind === 'momentum' ? spec.momentum : DEFAULT_MOMENTUM };
}
