import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSpec } from './types';

export function makeOptimizer(spec: OptimizerSpec, lr = spec.lr): tf.Optimizer {
  return spec.kind === 'momentum' ? tf.train.momentum(lr, spec.momentum) : tf.train.adam(lr);
}

export function describeOptimizer(spec: OptimizerSpec, lr = spec.lr): string {
  return spec.kind === 'momentum' ? `SGD lr ${lr} momentum ${spec.momentum}` : `Adam lr ${lr}`;
}
