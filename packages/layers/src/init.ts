import type * as tf from '@tensorflow/tfjs-core';
import { randUniform } from './random';

/**
 * PyTorch's default for Linear and Conv weights: kaiming_uniform_(a = sqrt(5)). The gain
 * sqrt(2 / (1 + a^2)) times sqrt(3 / fan_in) simplifies to a bound of 1 / sqrt(fan_in).
 */
export function kaimingUniform(shape: number[], fanIn: number, a = Math.sqrt(5)): tf.Tensor {
  const gain = Math.sqrt(2 / (1 + a * a));
  const bound = gain * Math.sqrt(3 / fanIn);
  return randUniform(shape, -bound, bound);
}

/** PyTorch's default bias: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
export function biasUniform(shape: number[], fanIn: number): tf.Tensor {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return randUniform(shape, -bound, bound);
}
