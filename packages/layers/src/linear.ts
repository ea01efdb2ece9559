import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from './errors';
import { requireFloatInput } from './input-checks';
import { biasUniform, kaimingUniform } from './init';
import { Module } from './module';
import { replayable } from '@logitlab/core';

export interface LinearOptions {
  bias?: boolean;
}

/**
 * y = x W^T + b over the last axis. The weight is held as [in, out] so the forward is one
 * matMul without a transpose; stateDict exports it as PyTorch's [out, in].
 */
export class Linear extends Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    { bias = true }: LinearOptions = {},
  ) {
    super();
    const torchWeight = kaimingUniform([outFeatures, inFeatures], inFeatures);
    const w = tf.transpose(torchWeight);
    torchWeight.dispose();
    this.weight = this.registerParameter('weight', w, {
      torchShape: [outFeatures, inFeatures],
      toTorch: (t) => tf.transpose(t),
      fromTorch: (t) => tf.transpose(t),
    });
    this.bias = bias ? this.registerParameter('bias', biasUniform([outFeatures], inFeatures)) : null;
  }

  override get typeName(): string {
    return 'Linear';
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const last = x.shape[x.rank - 1];
    if (x.rank < 1 || last !== this.inFeatures) {
      throw new ShapeError(
        `Linear(${this.inFeatures}, ${this.outFeatures}) expects input [..., ${this.inFeatures}], got [${x.shape.join(', ')}]`,
      );
    }
    requireFloatInput(`Linear(${this.inFeatures}, ${this.outFeatures})`, x);
    return tf.tidy(() => {
      const x2 = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, this.inFeatures]) as tf.Tensor2D);
      // In train mode, matMul + add: fused matMul's custom gradient computes all three input gradients eagerly,
      // so a layer fed by data paid for an input gradient nobody reads (PyTorch skips it: 19% of the sum-pool
      // network's step, the VAE's two encoder heads too); these kernels' gradients are lazy per input, as
      // Conv2d's. Eval mode keeps the fused kernel (the bias added in the GEMM's epilogue).
      const w = this.weight as tf.Tensor2D;
      const y = !this.bias
        ? tf.matMul(x2, w)
        : this.training
          ? tf.add(tf.matMul(x2, w), this.bias)
          : tf.fused.matMul({ a: x2, b: w, bias: this.bias });
      return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
    });
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(Linear.prototype.forward);
