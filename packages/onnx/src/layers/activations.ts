import { replayable } from '@logitlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { Module } from '@logitlab/layers';

/** PyTorch's LeakyReLU: x for x >= 0, slope * x below. */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  override get typeName(): string {
    return 'LeakyReLU';
  }

  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.leakyRelu(x, this.negativeSlope);
  }
}

/** ONNX Clip (PyTorch's ReLU6 and Hardtanh): min(max(x, low), high). */
export class Clip extends Module {
  constructor(
    readonly low: number,
    readonly high: number,
  ) {
    super();
  }

  override get typeName(): string {
    return this.low === 0 && this.high === 6 ? 'ReLU6' : 'Clip';
  }

  override extraRepr(): string {
    return this.low === 0 && this.high === 6 ? '' : `min_val=${this.low}, max_val=${this.high}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.clipByValue(x, this.low, this.high);
  }
}

// tensor-only forwards: a compiled step or evaluation may replay them (a host read inside falls back, with its reason)
replayable(LeakyReLU.prototype.forward);
replayable(Clip.prototype.forward);
