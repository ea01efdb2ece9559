import type * as tf from '@tensorflow/tfjs-core';
import { DtypeError } from './errors';

/**
 * Layers compute in float32. tfjs would quietly run an int32 matMul or conv (truncating the result) or
 * fail deep in a kernel; PyTorch raises "expected scalar type Float", so do we, naming the layer.
 */
export function requireFloatInput(layer: string, x: tf.Tensor): void {
  if (x.dtype !== 'float32') {
    throw new DtypeError(`${layer} expects float32 input, got ${x.dtype} [${x.shape.join(', ')}]; cast it first (tf.cast(x, 'float32'))`);
  }
}
