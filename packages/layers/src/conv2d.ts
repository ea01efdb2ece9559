import * as tf from '@tensorflow/tfjs-core';
import { OptionError, ShapeError } from './errors';
import { requireFloatInput } from './input-checks';
import { biasUniform, kaimingUniform } from './init';
import { Module } from './module';
import { convPad, dilateKernel, pair, type Pair } from './conv-utils';
import { replayable } from '@logitlab/core';

export interface Conv2dOptions {
  stride?: Pair;
  /** Zeros added on both sides (PyTorch's symmetric padding), or 'same' (stride 1 only) / 'valid'. */
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  bias?: boolean;
}

/**
 * 2-D convolution over NHWC input. The kernel is held as [kh, kw, in, out] (tf.conv2d's layout)
 * and exported as PyTorch's [out, in, kh, kw].
 */
export class Conv2d extends Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly dilation: [number, number];
  readonly padding: [number, number] | 'same';

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    { stride = 1, padding = 0, dilation = 1, bias = true }: Conv2dOptions = {},
  ) {
    super();
    this.kernelSize = pair(kernelSize, 'kernelSize');
    this.stride = pair(stride, 'stride');
    this.dilation = pair(dilation, 'dilation');
    if (this.stride.includes(0) || this.dilation.includes(0) || this.kernelSize.includes(0)) {
      throw new OptionError(
        `Conv2d kernelSize, stride and dilation must be positive, got ${JSON.stringify({ kernelSize, stride, dilation })}`,
      );
    }
    if (padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
      throw new OptionError("padding='same' is not supported for strided convolutions (as in PyTorch)");
    }
    this.padding = padding === 'same' ? 'same' : padding === 'valid' ? [0, 0] : pair(padding, 'padding');
    const [kh, kw] = this.kernelSize;
    const fanIn = inChannels * kh * kw;
    const torchWeight = kaimingUniform([outChannels, inChannels, kh, kw], fanIn);
    const w = tf.transpose(torchWeight, [2, 3, 1, 0]);
    torchWeight.dispose();
    this.weight = this.registerParameter('weight', w, {
      torchShape: [outChannels, inChannels, kh, kw],
      toTorch: (t) => tf.transpose(t, [3, 2, 0, 1]),
      fromTorch: (t) => tf.transpose(t, [2, 3, 1, 0]),
    });
    this.bias = bias ? this.registerParameter('bias', biasUniform([outChannels], fanIn)) : null;
  }

  override get typeName(): string {
    return 'Conv2d';
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize.join(', ')}), stride=(${this.stride.join(', ')})${this.padding === 'same' ? ", padding='same'" : this.padding[0] || this.padding[1] ? `, padding=(${this.padding.join(', ')})` : ''}${this.dilation[0] !== 1 || this.dilation[1] !== 1 ? `, dilation=(${this.dilation.join(', ')})` : ''}${this.bias ? '' : ', bias=False'}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return this.run(x, true);
  }

  /**
   * The convolution alone, without the bias. For a model that adds `bias` later where it is cheaper:
   * max-pooling commutes with adding a per-channel constant, so pool(conv(x)) + bias equals
   * pool(conv(x) + bias) on a tensor 4x smaller (the bias gradient sums 4x fewer values too).
   */
  convolve(x: tf.Tensor): tf.Tensor {
    return this.run(x, false);
  }

  private run(x: tf.Tensor, withBias: boolean): tf.Tensor {
    if (x.rank !== 4 || x.shape[3] !== this.inChannels) {
      throw new ShapeError(
        `Conv2d(${this.inChannels}, ${this.outChannels}) expects NHWC input [N, H, W, ${this.inChannels}], got [${x.shape.join(', ')}]`,
      );
    }
    requireFloatInput(`Conv2d(${this.inChannels}, ${this.outChannels})`, x);
    return tf.tidy(() => {
      const dilated = this.dilation[0] > 1 || this.dilation[1] > 1;
      const filter = dilated ? dilateKernel(this.weight as tf.Tensor4D, this.dilation) : (this.weight as tf.Tensor4D);
      const [eh, ew] = filter.shape;
      const [ph, pw] = this.padding === 'same' ? [0, 0] : this.padding;
      const [, h, w] = x.shape as [number, number, number, number];
      if (h + 2 * ph < eh || w + 2 * pw < ew) {
        throw new ShapeError(
          `Conv2d: input [${x.shape.join(', ')}] with padding (${ph}, ${pw}) is smaller than the (dilated) kernel (${eh}, ${ew})`,
        );
      }
      const pad = this.padding === 'same' ? 'same' : convPad([ph, pw]);
      const x4 = x as tf.Tensor4D;
      // In train mode, conv2d + add: fused conv2d's gradient computes the input gradient even when
      // nothing needs it (a network's first conv, whose input is data), which is the single most
      // expensive kernel of a convnet training step on wasm; conv2d's gradient is computed only for
      // inputs that lead to a variable. Eval mode keeps the fused kernel (bias added in the conv); its
      // gradient is right too, and explanations, which take gradients in eval mode, need the input's.
      // The mode, not the engine's private gradient-tape depth, decides: layers use public tfjs only.
      const bias = withBias ? this.bias : null;
      if (bias === null) return tf.conv2d(x4, filter, this.stride, pad, 'NHWC');
      if (this.training) return tf.add(tf.conv2d(x4, filter, this.stride, pad, 'NHWC'), bias);
      return tf.fused.conv2d({ x: x4, filter, strides: this.stride, pad, dataFormat: 'NHWC', dilations: 1, bias });
    });
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(Conv2d.prototype.forward);
