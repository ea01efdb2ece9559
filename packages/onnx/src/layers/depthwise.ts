import { replayable } from '@logitlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { Module, OptionError, ShapeError, biasUniform, convPad, kaimingUniform } from '@logitlab/layers';

export interface DepthwiseConv2dOptions {
  stride?: [number, number];
  /** Zeros added on both sides of H and W. */
  padding?: [number, number];
  dilation?: [number, number];
  bias?: boolean;
}

/**
 * PyTorch's Conv2d with groups = in_channels (MobileNet's depthwise convolution) on NHWC input: each
 * channel convolved with its own `multiplier` kernels. The kernel is held as [kh, kw, C, multiplier]
 * (tf.depthwiseConv2d's layout) and exported as PyTorch's [C * multiplier, 1, kh, kw].
 */
export class DepthwiseConv2d extends Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];

  constructor(
    readonly channels: number,
    readonly multiplier: number,
    readonly kernelSize: [number, number],
    { stride = [1, 1], padding = [0, 0], dilation = [1, 1], bias = true }: DepthwiseConv2dOptions = {},
  ) {
    super();
    if ([channels, multiplier, ...kernelSize, ...stride, ...dilation].some((v) => !Number.isInteger(v) || v < 1)) {
      throw new OptionError(
        `DepthwiseConv2d sizes must be positive integers, got ${JSON.stringify({ channels, multiplier, kernelSize, stride, dilation })}`,
      );
    }
    if ((stride[0] > 1 || stride[1] > 1) && (dilation[0] > 1 || dilation[1] > 1)) {
      throw new OptionError('DepthwiseConv2d: tfjs supports dilation only with stride 1');
    }
    [this.stride, this.padding, this.dilation] = [stride, padding, dilation];
    const [kh, kw] = kernelSize;
    const out = channels * multiplier;
    // PyTorch's output channel c * multiplier + j is tf's (channel c, multiplier j): a reshape and a transpose
    const torchShape = [out, 1, kh, kw];
    const toTf = (t: tf.Tensor) => tf.tidy(() => tf.transpose(tf.reshape(t, [channels, multiplier, kh, kw]), [2, 3, 0, 1]));
    const torchWeight = kaimingUniform(torchShape, kh * kw);
    const w = toTf(torchWeight);
    torchWeight.dispose();
    this.weight = this.registerParameter('weight', w, {
      torchShape,
      toTorch: (t) => tf.tidy(() => tf.reshape(tf.transpose(t, [2, 3, 0, 1]), torchShape)),
      fromTorch: toTf,
    });
    this.bias = bias ? this.registerParameter('bias', biasUniform([out], kh * kw)) : null;
  }

  /** Not 'Conv2d' (PyTorch's class): LRP and composites' byType must not take it for a dense-kernel Conv2d. */
  override get typeName(): string {
    return 'DepthwiseConv2d';
  }

  override extraRepr(): string {
    const [ph, pw] = this.padding;
    return `${this.channels}, ${this.channels * this.multiplier}, kernel_size=(${this.kernelSize.join(', ')}), stride=(${this.stride.join(', ')})${ph || pw ? `, padding=(${ph}, ${pw})` : ''}, groups=${this.channels}${this.bias ? '' : ', bias=False'}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4 || x.shape[3] !== this.channels) {
      throw new ShapeError(`DepthwiseConv2d(${this.channels}) expects NHWC input [N, H, W, ${this.channels}], got [${x.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const pad = convPad(this.padding);
      const y = tf.depthwiseConv2d(x as tf.Tensor4D, this.weight as tf.Tensor4D, this.stride, pad, 'NHWC', this.dilation);
      return this.bias ? tf.add(y, this.bias) : y;
    });
  }
}

// tensor-only forwards: a compiled step or evaluation may replay them (a host read inside falls back, with its reason)
replayable(DepthwiseConv2d.prototype.forward);
