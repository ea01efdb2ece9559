import * as tf from '@tensorflow/tfjs-core';
import { requireFloat } from './checks';

/** Runs `fn` with `axis` moved last (tfjs's softmax kernels reduce only the last axis). */
function alongAxis(x: tf.Tensor, axis: number, fn: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
  const a = axis < 0 ? x.rank + axis : axis;
  if (a === x.rank - 1) return fn(x);
  return tf.tidy(() => {
    const perm = [...Array(x.rank).keys()];
    [perm[a], perm[x.rank - 1]] = [x.rank - 1, a];
    return tf.transpose(fn(tf.transpose(x, perm)), perm);
  });
}

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
