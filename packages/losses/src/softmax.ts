import * as tf from '@tensorflow/tfjs-core';
import { alongAxis } from '@logitlab/core';
import { requireFloat } from './checks';

/**
 * log(softmax(x)) computed as x - max - log(sum(exp(x - max))): exact at logits of +-1e4, where
 * log(softmax(x)) gives -Infinity and NaN gradients.
 */
export function logSoftmax(x: tf.Tensor, axis = -1): tf.Tensor {
  requireFloat('logSoftmax', 'input', x);
  return alongAxis(x, axis, (t) => tf.logSoftmax(t));
}

/** Max-shifted softmax (no overflow at +-1e4). */
export function softmax(x: tf.Tensor, axis = -1): tf.Tensor {
  requireFloat('softmax', 'input', x);
  return alongAxis(x, axis, (t) => tf.softmax(t));
}
