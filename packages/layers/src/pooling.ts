import * as tf from '@tensorflow/tfjs-core';
import { OptionError, ShapeError } from './errors';
import { pyPair } from './describe';
import { Module } from './module';
import { convPad, explicitPad, pair, type Pair } from './conv-utils';
import { replayable } from '@logitlab/core';

export interface Pool2dOptions {
  /** Defaults to the kernel size, as in PyTorch. */
  stride?: Pair;
  /** Padding on both sides, at most half the kernel (PyTorch's limit). */
  padding?: Pair;
}

function poolGeometry(name: string, kernel: Pair, stride: Pair | undefined, padding: Pair) {
  const k = pair(kernel, `${name} kernelSize`);
  const s = pair(stride ?? kernel, `${name} stride`);
  const p = pair(padding, `${name} padding`);
  if (k.includes(0) || s.includes(0))
    throw new OptionError(`${name} kernelSize and stride must be positive, got ${JSON.stringify({ kernel, stride })}`);
  if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
    throw new OptionError(
      `${name}: pad should be at most half of effective kernel size, got padding ${JSON.stringify(padding)} for kernel ${JSON.stringify(kernel)}`,
    );
  }
  return { k, s, p };
}

function checkNhwc(name: string, x: tf.Tensor, k: [number, number], p: [number, number]): tf.Tensor4D {
  if (x.rank !== 4) throw new ShapeError(`${name} expects NHWC input [N, H, W, C], got [${x.shape.join(', ')}]`);
  const [, h, w] = x.shape as [number, number, number, number];
  if (h + 2 * p[0] < k[0] || w + 2 * p[1] < k[1]) {
    throw new ShapeError(`${name}: input [${x.shape.join(', ')}] is smaller than the kernel (${k.join(', ')})`);
  }
  return x as tf.Tensor4D;
}

/** Max pooling; padded positions never win (PyTorch pads with -inf). Output size floors like PyTorch's default. */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: Pair, { stride, padding = 0 }: Pool2dOptions = {}) {
    super();
    const g = poolGeometry('MaxPool2d', kernelSize, stride, padding);
    [this.kernelSize, this.stride, this.padding] = [g.k, g.s, g.p];
  }

  override get typeName(): string {
    return 'MaxPool2d';
  }

  override extraRepr(): string {
    return `kernel_size=${pyPair(this.kernelSize)}, stride=${pyPair(this.stride)}, padding=${pyPair(this.padding)}, dilation=1, ceil_mode=False`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const x4 = checkNhwc('MaxPool2d', x, this.kernelSize, this.padding);
    // tfjs pools skip out-of-range positions, which is exactly padding with -inf
    return tf.maxPool(x4, this.kernelSize, this.stride, convPad(this.padding));
  }
}

export interface AvgPool2dOptions extends Pool2dOptions {
  /** Count padded zeros in the divisor (PyTorch's default true). */
  countIncludePad?: boolean;
}

/** Average pooling with PyTorch's count_include_pad semantics. */
export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly countIncludePad: boolean;

  constructor(kernelSize: Pair, { stride, padding = 0, countIncludePad = true }: AvgPool2dOptions = {}) {
    super();
    const g = poolGeometry('AvgPool2d', kernelSize, stride, padding);
    [this.kernelSize, this.stride, this.padding] = [g.k, g.s, g.p];
    this.countIncludePad = countIncludePad;
  }

  override get typeName(): string {
    return 'AvgPool2d';
  }

  override extraRepr(): string {
    // PyTorch leaves count_include_pad out of the repr; so do we
    return `kernel_size=${pyPair(this.kernelSize)}, stride=${pyPair(this.stride)}, padding=${pyPair(this.padding)}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const x4 = checkNhwc('AvgPool2d', x, this.kernelSize, this.padding);
    const [ph, pw] = this.padding;
    if (ph === 0 && pw === 0) return tf.avgPool(x4, this.kernelSize, this.stride, 'valid');
    // tfjs divides by the in-range count only; padding explicitly with zeros counts them as PyTorch does
    return tf.tidy(() => {
      const pad = explicitPad(this.padding);
      const mean = tf.avgPool(tf.pad(x4, pad), this.kernelSize, this.stride, 'valid');
      if (this.countIncludePad) return mean;
      // rescale by the share of real pixels per window; tfjs's own exclude-pad forward has a
      // gradient that still divides by the full window, so it is not used
      const [n, h, w] = x4.shape;
      const share = tf.avgPool(tf.pad(tf.ones([1, h, w, 1]), pad) as tf.Tensor4D, this.kernelSize, this.stride, 'valid');
      return n === 0 ? mean : tf.div(mean, share);
    });
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(MaxPool2d.prototype.forward);
replayable(AvgPool2d.prototype.forward);
