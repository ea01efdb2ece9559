import * as tf from '@tensorflow/tfjs-core';
import { OptionError, ShapeError } from './errors';
import { pyPair } from './describe';
import { Module } from './module';
import { pair, type Pair } from './conv-utils';
import { replayable } from '@logitlab/core';

/**
 * Sums non-overlapping groups of `size` consecutive features on the last axis: [..., F] -> [..., F / size].
 * This is the sum-pooling of Montavon et al. (2017), not an average: relevance is conserved through it.
 */
export class SumPool1d extends Module {
  constructor(readonly size: number) {
    super();
    if (!Number.isInteger(size) || size < 1) throw new OptionError(`SumPool1d size must be a positive integer, got ${size}`);
  }

  override get typeName(): string {
    return 'SumPool1d';
  }

  override extraRepr(): string {
    return `size=${this.size}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const f = x.shape[x.rank - 1] ?? 0;
    if (x.rank < 1 || f % this.size !== 0) {
      throw new ShapeError(`SumPool1d(${this.size}) needs a last axis divisible by ${this.size}, got [${x.shape.join(', ')}]`);
    }
    return tf.tidy(() => tf.sum(tf.reshape(x, [...x.shape.slice(0, -1), f / this.size, this.size]), -1));
  }
}

/** Sums non-overlapping size x size windows of NHWC input (trailing rows / columns that do not fill a window are dropped, as pooling floors). */
export class SumPool2d extends Module {
  readonly size: [number, number];

  constructor(size: Pair) {
    super();
    this.size = pair(size, 'SumPool2d size');
    if (this.size.includes(0)) throw new OptionError(`SumPool2d size must be positive, got ${JSON.stringify(size)}`);
  }

  override get typeName(): string {
    return 'SumPool2d';
  }

  override extraRepr(): string {
    return `size=${pyPair(this.size)}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4) throw new ShapeError(`SumPool2d expects NHWC input [N, H, W, C], got [${x.shape.join(', ')}]`);
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [sh, sw] = this.size;
    const oh = Math.floor(h / sh);
    const ow = Math.floor(w / sw);
    if (oh === 0 || ow === 0) throw new ShapeError(`SumPool2d(${sh}, ${sw}): input [${x.shape.join(', ')}] is smaller than one window`);
    return tf.tidy(() => {
      const cropped = oh * sh === h && ow * sw === w ? x : tf.slice(x, [0, 0, 0, 0], [n, oh * sh, ow * sw, c]);
      return tf.sum(tf.reshape(cropped, [n, oh, sh, ow, sw, c]), [2, 4]);
    });
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(SumPool1d.prototype.forward);
replayable(SumPool2d.prototype.forward);
