import * as tf from '@tensorflow/tfjs-core';
import { AvgPool2d, Conv2d, Linear, type Module, SumPool1d, SumPool2d } from '@logitlab/layers';
import { ExplainModelError } from './errors';

/**
 * A layer seen as the linear map LRP needs: z = apply(x, w, b) and its transpose (the input
 * gradient of apply for fixed w). Rules change x, w and b; `propagate` runs apply and transpose on
 * the changed values. Layers without weights (sum- and average-pools) ignore w and b.
 */
export interface LinearMap {
  readonly weight: tf.Tensor | null;
  readonly bias: tf.Tensor | null;
  apply(x: tf.Tensor, weight: tf.Tensor | null, bias: tf.Tensor | null): tf.Tensor;
  transpose(s: tf.Tensor, weight: tf.Tensor | null, inputShape: readonly number[]): tf.Tensor;
}

/** Effective parameters that replace a layer's own (BatchNorm canonisation). */
export interface Params {
  weight: tf.Tensor;
  bias: tf.Tensor | null;
}

export type LayerKind = 'dense' | 'conv' | 'pool';

export function layerKind(m: Module): LayerKind | null {
  if (m instanceof Linear) return 'dense';
  if (m instanceof Conv2d) return 'conv';
  if (m instanceof SumPool1d || m instanceof SumPool2d || m instanceof AvgPool2d) return 'pool';
  return null;
}

/** The linear map of a Linear, Conv2d or pooling layer, or null for any other module. */
export function linearMap(m: Module, params?: Params): LinearMap | null {
  if (m instanceof Linear) return dense(params ?? { weight: m.weight, bias: m.bias });
  if (m instanceof Conv2d) return conv(m, params ?? { weight: m.weight, bias: m.bias });
  if (m instanceof SumPool1d) return sumPool1d(m.size);
  if (m instanceof SumPool2d) return windowSum(m.size, m.size, 'valid');
  if (m instanceof AvgPool2d) {
    const [ph, pw] = m.padding;
    return windowSum(
      m.kernelSize,
      m.stride,
      ph === 0 && pw === 0
        ? 'valid'
        : [
            [0, 0],
            [ph, ph],
            [pw, pw],
            [0, 0],
          ],
    );
  }
  return null;
}

function dense({ weight, bias }: Params): LinearMap {
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

type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];

function conv(m: Conv2d, { weight, bias }: Params): LinearMap {
  if (m.dilation[0] !== 1 || m.dilation[1] !== 1) {
    throw new ExplainModelError(`LRP supports Conv2d with dilation 1, got dilation [${m.dilation.join(', ')}]`);
  }
  const pad: Pad =
    m.padding === 'same'
      ? 'same'
      : m.padding[0] === 0 && m.padding[1] === 0
        ? 'valid'
        : [
            [0, 0],
            [m.padding[0], m.padding[0]],
            [m.padding[1], m.padding[1]],
            [0, 0],
          ];
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

function sumPool1d(size: number): LinearMap {
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

/** Window sums of every channel: channels move into the batch so one [kh, kw, 1, 1] filter of ones does it. */
function windowSum(kernel: [number, number], stride: [number, number], pad: Pad): LinearMap {
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
