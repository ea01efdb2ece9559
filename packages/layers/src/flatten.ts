import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module';
import { replayable } from '@logitlab/core';

export interface FlattenOptions {
  /**
   * For NHWC input: 'chw' (default) flattens in PyTorch's channel-major order, so a Linear after it
   * loads PyTorch weights unchanged; 'hwc' skips that transpose (faster, not checkpoint-compatible).
   */
  order?: 'chw' | 'hwc';
}

/** Flattens every axis after the batch axis: [N, ...] -> [N, prod(...)]. */
export class Flatten extends Module {
  readonly order: 'chw' | 'hwc';
  constructor({ order = 'chw' }: FlattenOptions = {}) {
    super();
    this.order = order;
  }

  override get typeName(): string {
    return 'Flatten';
  }

  override extraRepr(): string {
    return `start_dim=1, end_dim=-1${this.order === 'chw' ? '' : ', order=hwc'}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const n = x.shape[0] ?? 1;
    return tf.tidy(() => {
      const ordered = x.rank === 4 && this.order === 'chw' ? tf.transpose(x, [0, 3, 1, 2]) : x;
      return tf.reshape(ordered, [n, -1]);
    });
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(Flatten.prototype.forward);
