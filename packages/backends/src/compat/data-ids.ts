import * as tf from '@tensorflow/tfjs-core';

/**
 * Data buffers the active backend holds: tensors' data plus what kernels and step plans hold without a
 * Tensor (tf.memory() counts only what the engine tracks, so a replay's leak shows only here).
 */
export function backendDataIds(): number {
  return tf.engine().backend.numDataIds();
}
