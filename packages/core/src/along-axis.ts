import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` with `axis` moved last and moves it back: tfjs's softmax and log-softmax kernels reduce
 * only the last axis, while PyTorch's take a `dim`. A negative axis counts from the end.
 */
export function alongAxis(x: tf.Tensor, axis: number, fn: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
  const a = axis < 0 ? x.rank + axis : axis;
  if (a === x.rank - 1) return fn(x);
  return tf.tidy(() => {
    const perm = [...Array(x.rank).keys()];
    [perm[a], perm[x.rank - 1]] = [x.rank - 1, a];
    return tf.transpose(fn(tf.transpose(x, perm)), perm);
  });
}
