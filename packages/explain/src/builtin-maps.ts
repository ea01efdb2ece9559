import * as tf from '@tensorflow/tfjs-core';
import { convPad, type AvgPool2d, type BatchNorm1d, type BatchNorm2d, type Conv2d } from '@logitlab/layers';
import { ExplainModelError } from './errors';
import type { ChannelAffine, LinearMap, Params } from './lrp-spec';

/** The linear maps (and BatchNorm's affine map) of @logitlab/layers' own layers, registered in `builtin-layers.ts`. */

export function denseMap({ weight, bias }: Params): LinearMap {
  // weight is [in, out] (Linear's compute layout); inputs of rank > 2 are flattened to rows
  return {
    weight,
    bias,
    apply(x, w, b) {
      const x2 = tf.reshape(x, [-1, x.shape[x.rank - 1]!]) as tf.Tensor2D;
      const z = tf.matMul(x2, w as tf.Tensor2D);
      const out = b ? tf.add(z, b) : z;
      return tf.reshape(out, [...x.shape.slice(0, -1), w!.shape[1]!]);
    },
    transpose(s, w, shape) {
      const s2 = tf.reshape(s, [-1, s.shape[s.rank - 1]!]) as tf.Tensor2D;
      return tf.reshape(tf.matMul(s2, w as tf.Tensor2D, false, true), [...shape]);
    },
  };
}

export function convMap(m: Conv2d, { weight, bias }: Params): LinearMap {
  if (m.dilation[0] !== 1 || m.dilation[1] !== 1) {
    throw new ExplainModelError(`LRP supports Conv2d with dilation 1, got dilation [${m.dilation.join(', ')}]`);
  }
  const pad = m.padding === 'same' ? 'same' : convPad(m.padding);
  return {
    weight,
    bias,
    apply(x, w, b) {
      const z = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, m.stride, pad);
      return b ? tf.add(z, b) : z;
    },
    transpose(s, w, shape) {
      return tf.conv2dTranspose(s as tf.Tensor4D, w as tf.Tensor4D, shape as [number, number, number, number], m.stride, pad);
    },
  };
}

export function sumPool1dMap(size: number): LinearMap {
  return {
    weight: null,
    bias: null,
    apply: (x) => tf.sum(tf.reshape(x, [...x.shape.slice(0, -1), x.shape[x.rank - 1]! / size, size]), -1),
    transpose: (s, _w, shape) => tf.reshape(tf.mul(tf.expandDims(s, -1), tf.ones([size])), [...shape]),
  };
}

/** Channels move into the batch so one [kh, kw, 1, 1] filter of ones sums every channel's windows. */
function toBatch(t: tf.Tensor): tf.Tensor4D {
  const [n, h, w, c] = t.shape as [number, number, number, number];
  return tf.reshape(tf.transpose(t, [0, 3, 1, 2]), [n * c, h, w, 1]);
}
function fromBatch(t: tf.Tensor, n: number, c: number): tf.Tensor {
  return tf.transpose(tf.reshape(t, [n, c, t.shape[1]!, t.shape[2]!]), [0, 2, 3, 1]);
}

/** Window sums of every channel (SumPool2d's size x size windows, or AvgPool2d's, whose 1 / area LRP does not need). */
export function windowSumMap(kernel: [number, number], stride: [number, number], padding: [number, number] = [0, 0]): LinearMap {
  const pad = convPad(padding);
  const ones = (): tf.Tensor4D => tf.ones([kernel[0], kernel[1], 1, 1]);
  return {
    weight: null,
    bias: null,
    apply(x) {
      const [n, , , c] = x.shape as [number, number, number, number];
      return fromBatch(tf.conv2d(toBatch(x), ones(), stride, pad), n, c);
    },
    transpose(s, _w, shape) {
      const [n, h, w, c] = shape as [number, number, number, number];
      return fromBatch(tf.conv2dTranspose(toBatch(s), ones(), [n * c, h, w, 1], stride, pad), n, c);
    },
  };
}

export const avgPoolMap = (m: AvgPool2d): LinearMap => windowSumMap(m.kernelSize, m.stride, m.padding);

/** BatchNorm in eval as y = scale x + shift per channel; null without running statistics (it would normalise by the batch's). */
export function batchNormAffine(bn: BatchNorm1d | BatchNorm2d): ChannelAffine | null {
  const mean = bn.runningMean;
  const variance = bn.runningVar;
  if (!mean || !variance) return null;
  return tf.tidy(() => {
    const inv = tf.rsqrt(tf.add(variance, bn.eps));
    const scale = (bn.weight ? tf.mul(bn.weight, inv) : inv) as tf.Tensor1D;
    const shift = tf.sub(bn.bias ?? tf.zerosLike(mean), tf.mul(mean, scale)) as tf.Tensor1D;
    return { scale, shift };
  });
}
