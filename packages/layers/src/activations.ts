import * as tf from '@tensorflow/tfjs-core';
import { alongAxis } from '@logitlab/core';
import { Module } from './module';

export class ReLU extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }
}

export class Sigmoid extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(x);
  }
}

export class Tanh extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(x);
  }
}

export class Identity extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.clone(x);
  }
}

/** Softmax over `axis` (default last, where NHWC keeps classes). */
export class Softmax extends Module {
  constructor(readonly axis = -1) {
    super();
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
  forward(x: tf.Tensor): tf.Tensor {
    return alongAxis(x, this.axis, (t) => tf.logSoftmax(t));
  }
}
