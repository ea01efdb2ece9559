import { replayable } from '@logitlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { Module } from '@logitlab/layers';

export type BinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div';

const OPS: Record<BinaryOp, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = { Add: tf.add, Sub: tf.sub, Mul: tf.mul, Div: tf.div };

/**
 * Sub, Mul or Div of two computed tensors (stacked on a new last axis, as `Sum` takes them). It has no
 * LRP rule: an explanation that meets it names it instead of guessing.
 */
export class Elementwise extends Module {
  constructor(readonly op: Exclude<BinaryOp, 'Add'>) {
    super();
  }

  override get typeName(): string {
    return this.op;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [a, b] = tf.unstack(x, -1) as [tf.Tensor, tf.Tensor];
      return OPS[this.op](a, b);
    });
  }
}

/**
 * x (op) c with a constant c already in x's layout (a normalisation's mean and std, a bias). The
 * constant is not a parameter: ONNX does not say which state-dict entry, if any, it came from.
 */
export class ConstantOp extends Module {
  constructor(
    readonly op: BinaryOp,
    private readonly constant: tf.Tensor,
    /** True when the constant is the left operand (c - x, c / x). */
    readonly constantFirst = false,
  ) {
    super();
  }

  override get typeName(): string {
    return `${this.op}Constant`;
  }

  override extraRepr(): string {
    return `shape=[${this.constant.shape.join(', ')}]${this.constantFirst ? ', constant_first=True' : ''}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return this.constantFirst ? OPS[this.op](this.constant, x) : OPS[this.op](x, this.constant);
  }

  override dispose(): void {
    this.constant.dispose();
    super.dispose();
  }
}

// tensor-only forwards: a compiled step or evaluation may replay them (a host read inside falls back, with its reason)
replayable(Elementwise.prototype.forward);
replayable(ConstantOp.prototype.forward);
