import * as tf from '@tensorflow/tfjs-core';
import { ModelInputError } from './errors';

/**
 * Flattens a batch of images ([N, H, W, 1], [N, H, W] or already [N, size]) to [N, size], so the
 * dense models take what the datasets hand out in any of its usual shapes.
 */
export function flattenBatch(x: tf.Tensor, size: number, model: string): tf.Tensor2D {
  const n = x.shape[0] ?? 0;
  if (x.rank < 2 || x.size !== n * size) {
    throw new ModelInputError(
      `${model} expects a batch of ${size} values per sample ([N, ${size}] or an image batch), got [${x.shape.join(', ')}]`,
    );
  }
  return x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [n, size]);
}

/** Checks an NHWC image batch against the [height, width, channels] a model was built for. */
export function expectImages(x: tf.Tensor, [h, w, c]: [number, number, number], model: string): tf.Tensor4D {
  const n = x.shape[0] ?? 0;
  if (x.rank === 4 && x.shape[1] === h && x.shape[2] === w && x.shape[3] === c) return x as tf.Tensor4D;
  // [N, h*w] and [N, h, w] are unambiguous when there is one channel
  if (c === 1 && (x.rank === 2 || x.rank === 3) && x.size === n * h * w) return tf.reshape(x, [n, h, w, 1]);
  throw new ModelInputError(`${model} expects images [N, ${h}, ${w}, ${c}] (NHWC), got [${x.shape.join(', ')}]`);
}
