import * as tf from '@tensorflow/tfjs-core';
import { alongAxis, replayable } from '@logitlab/core';
import { Module } from './module';

export class ReLU extends Module {
  override get typeName(): string {
    return 'ReLU';
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }
}

export class Sigmoid extends Module {
  override get typeName(): string {
    return 'Sigmoid';
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(x);
  }
}

export class Tanh extends Module {
  override get typeName(): string {
    return 'Tanh';
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(x);
  }
}

export class Identity extends Module {
  override get typeName(): string {
    return 'Identity';
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.clone(x);
  }
}

/** Softmax over `axis` (default last, where NHWC keeps classes). */
export class Softmax extends Module {
  constructor(readonly axis = -1) {
    super();
  }
  override get typeName(): string {
    return 'Softmax';
  }

  override extraRepr(): string {
    return `dim=${this.axis}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return alongAxis(x, this.axis, (t) => tf.softmax(t));
  }
}

/** Log-softmax over `axis`; stable (max-shifted) at logits of +-1e4. */
export class LogSoftmax extends Module {
  constructor(readonly axis = -1) {
    super();
  }
  override get typeName(): string {
    return 'LogSoftmax';
  }

  override extraRepr(): string {
    return `dim=${this.axis}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return alongAxis(x, this.axis, (t) => tf.logSoftmax(t));
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(ReLU.prototype.forward);
replayable(Sigmoid.prototype.forward);
replayable(Tanh.prototype.forward);
replayable(Identity.prototype.forward);
replayable(Softmax.prototype.forward);
replayable(LogSoftmax.prototype.forward);
