import * as tf from '@tensorflow/tfjs-core';
import { OptionError, ShapeError } from './errors';
import { pyFloat } from './describe';
import { Module } from './module';
import { dropoutMask } from './random';
import { replayable } from '@logitlab/core';

function checkP(name: string, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new OptionError(`${name} probability has to be between 0 and 1, but got ${p}`);
  return p;
}

/** Keeps each unit with probability 1 - p and scales kept ones by 1 / (1 - p) in train mode; identity in eval. */
function dropWithMask(x: tf.Tensor, p: number, maskShape: number[]): tf.Tensor {
  if (p === 1) return tf.zerosLike(x);
  // the mask comes from the global generator (manualSeed), so runs are reproducible
  return tf.tidy(() => tf.mul(x, dropoutMask(maskShape, p)));
}

export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    checkP('Dropout', p);
  }

  override get typeName(): string {
    return 'Dropout';
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return tf.clone(x);
    return dropWithMask(x, this.p, x.shape);
  }
}

/** Drops whole channels of NHWC input (one draw per sample and channel), as PyTorch's Dropout2d on NCHW. */
export class Dropout2d extends Module {
  constructor(readonly p = 0.5) {
    super();
    checkP('Dropout2d', p);
  }

  override get typeName(): string {
    return 'Dropout2d';
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4) throw new ShapeError(`Dropout2d expects NHWC input [N, H, W, C], got [${x.shape.join(', ')}]`);
    if (!this.training || this.p === 0) return tf.clone(x);
    const [n, , , c] = x.shape as [number, number, number, number];
    return dropWithMask(x, this.p, [n, 1, 1, c]);
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(Dropout.prototype.forward);
replayable(Dropout2d.prototype.forward);
