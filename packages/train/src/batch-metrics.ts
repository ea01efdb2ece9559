import * as tf from '@tensorflow/tfjs-core';
import { replayable } from '@logitlab/core';

/**
 * Fraction of correct argmax predictions in a batch, as a scalar tensor (stays on the device, so
 * evaluate reads it once at the end). `target` holds class indices, or one-hot / probabilities.
 * Tensor-only, so `evaluate`'s default compile: 'auto' records it.
 */
export const batchAccuracy = replayable(function batchAccuracy(output: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const pred = tf.argMax(output, -1);
    const truth = target.rank === output.rank ? tf.argMax(target, -1) : tf.cast(target, 'int32');
    return tf.mean(tf.cast(tf.equal(pred, truth), 'float32')) as tf.Scalar;
  });
});
