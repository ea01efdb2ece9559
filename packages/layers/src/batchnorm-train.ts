import * as tf from '@tensorflow/tfjs-core';

export interface BatchStats {
  mean: tf.Tensor1D;
  /** Biased (divide by n) variance: what the batch is normalised with. */
  variance: tf.Tensor1D;
}

/**
 * Train-mode batch norm of [rows, C] with PyTorch's closed-form backward (native_batch_norm_backward):
 *   dx = gamma * invstd * (dy - mean(dy) - xhat * mean(dy * xhat)),  dgamma = sum(dy * xhat),  dbeta = sum(dy).
 * tfjs differentiates moments + batchNorm op by op (about 40 kernels a layer, with a saved copy of every
 * intermediate); this is 9 kernels forward and 11 backward. `onStats` sees the batch statistics inside
 * the forward pass, where nothing is taped (running-stat updates cost no tape entries); they are
 * disposed after it returns.
 */
export function batchNormTrain(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D | null,
  beta: tf.Tensor1D | null,
  eps: number,
  onStats: (stats: BatchStats) => void,
): tf.Tensor2D {
  const rows = x.shape[0];
  const normalise = (input: tf.Tensor2D, save: (ts: tf.Tensor[]) => void) => {
    const mean = tf.mean(input, 0) as tf.Tensor1D;
    const centred = tf.sub(input, mean);
    const variance = tf.mean(tf.square(centred), 0) as tf.Tensor1D;
    onStats({ mean, variance });
    const invstd = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor1D;
    const xhat = tf.mul(centred, invstd) as tf.Tensor2D;
    save([xhat, invstd]);
    return xhat;
  };
  // dy - mean(dy) - xhat * mean(dy * xhat), and the two sums the affine parameters need
  const backward = (dy: tf.Tensor2D, xhat: tf.Tensor2D) => {
    const dbeta = tf.sum(dy, 0) as tf.Tensor1D;
    const dgamma = tf.sum(tf.mul(dy, xhat), 0) as tf.Tensor1D;
    const core = tf.sub(tf.sub(dy, tf.div(dbeta, rows)), tf.mul(xhat, tf.div(dgamma, rows)));
    return { core, dgamma, dbeta };
  };
  if (gamma && beta) {
    const affine = tf.customGrad((input, g, b, save) => {
      const xhat = normalise(input as tf.Tensor2D, save as tf.GradSaveFunc);
      return {
        value: tf.add(tf.mul(xhat, g as tf.Tensor1D), b as tf.Tensor1D),
        gradFunc: (dy, saved) => {
          const [xhatS, invstd] = saved as [tf.Tensor2D, tf.Tensor1D];
          const { core, dgamma, dbeta } = backward(dy as tf.Tensor2D, xhatS);
          return [tf.mul(core, tf.mul(g as tf.Tensor1D, invstd)), dgamma, dbeta];
        },
      };
    });
    return affine(x, gamma, beta) as tf.Tensor2D;
  }
  const plain = tf.customGrad((input, save) => {
    const xhat = normalise(input as tf.Tensor2D, save as tf.GradSaveFunc);
    return {
      value: xhat,
      gradFunc: (dy, saved) => {
        const [xhatS, invstd] = saved as [tf.Tensor2D, tf.Tensor1D];
        return tf.mul(backward(dy as tf.Tensor2D, xhatS).core, invstd);
      },
    };
  });
  return plain(x) as tf.Tensor2D;
}
