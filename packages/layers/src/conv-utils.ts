import * as tf from '@tensorflow/tfjs-core';
import { OptionError } from './errors';

export type Pair = number | [number, number];

export function pair(v: Pair, what: string): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((n) => Number.isInteger(n) && n >= 0))
    throw new OptionError(`${what} must be a non-negative integer or a pair of them, got ${JSON.stringify(v)}`);
  return p;
}

/** tfjs's explicit padding of an NHWC tensor: [[0, 0], [top, bottom], [left, right], [0, 0]]. */
export type NhwcPad = [[number, number], [number, number], [number, number], [number, number]];

/** tfjs's explicit padding for NHWC: symmetric, as PyTorch pads. */
export function explicitPad([ph, pw]: [number, number]): NhwcPad {
  return [
    [0, 0],
    [ph, ph],
    [pw, pw],
    [0, 0],
  ];
}

/**
 * The `pad` argument of a tfjs conv or pool for PyTorch's symmetric padding: 'valid' when there is
 * none (the one form every backend and gradient takes), else explicit. The one copy for the layers,
 * LRP's linear maps and imported depthwise convolutions.
 */
export function convPad(padding: [number, number]): 'valid' | NhwcPad {
  return padding[0] === 0 && padding[1] === 0 ? 'valid' : explicitPad(padding);
}

/**
 * Spreads a [kh, kw, in, out] kernel with zeros so that an undilated conv computes the dilated one.
 * tfjs has no conv2d gradient for dilation > 1 and refuses stride and dilation together; pad,
 * reshape and slice all have gradients, so this trains on every backend.
 */
export function dilateKernel(w: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  return tf.tidy(() => {
    let k = w;
    const [kh, kw, ci, co] = k.shape;
    if (dh > 1) {
      const spread = tf.pad(tf.reshape(k, [kh, 1, kw, ci, co]), [
        [0, 0],
        [0, dh - 1],
        [0, 0],
        [0, 0],
        [0, 0],
      ]);
      k = tf.slice(tf.reshape(spread, [kh * dh, kw, ci, co]), [0, 0, 0, 0], [(kh - 1) * dh + 1, kw, ci, co]) as tf.Tensor4D;
    }
    if (dw > 1) {
      const h = k.shape[0];
      const spread = tf.pad(tf.reshape(k, [h, kw, 1, ci, co]), [
        [0, 0],
        [0, 0],
        [0, dw - 1],
        [0, 0],
        [0, 0],
      ]);
      k = tf.slice(tf.reshape(spread, [h, kw * dw, ci, co]), [0, 0, 0, 0], [h, (kw - 1) * dw + 1, ci, co]) as tf.Tensor4D;
    }
    return k;
  });
}
