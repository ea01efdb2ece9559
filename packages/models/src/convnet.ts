import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, Dropout, Dropout2d, Linear, MaxPool2d, Module } from '@logitlab/layers';
import { ModelOptionsError } from './errors';
import { expectImages } from './input';
import { replayable } from '@logitlab/core';

export type ConvNetHead = 'logits' | 'logSoftmax' | 'softmax' | 'sigmoid';

export interface MnistConvNetOptions {
  /** What the last layer outputs: raw logits (for crossEntropy), log-probabilities (for nllLoss), or the two classic mistakes. */
  head?: ConvNetHead;
  /** Dropout2d after conv2 (PyTorch example: 0.5). */
  convDropout?: number;
  /** Dropout after fc1 (PyTorch example: 0.5). */
  dropout?: number;
}

const HEADS: readonly ConvNetHead[] = ['logits', 'logSoftmax', 'softmax', 'sigmoid'];

/**
 * The classic PyTorch MNIST example network, with a choice of output head:
 * conv 1->10 k5, maxpool 2, relu; conv 10->20 k5, dropout2d, maxpool 2, relu; flatten 320;
 * fc 320->50, relu, dropout; fc 50->10; head. Input [N, 28, 28, 1] (NHWC).
 *
 * State-dict keys are the PyTorch example's (conv1, conv2, fc1, fc2; conv2_drop has no state).
 * The flatten runs in PyTorch's (C, H, W) order, so a PyTorch checkpoint's fc1.weight loads as is.
 */
export class MnistConvNet extends Module {
  readonly head: ConvNetHead;
  readonly conv1: Conv2d;
  readonly conv2: Conv2d;
  readonly conv2_drop: Dropout2d;
  readonly fc1: Linear;
  readonly fc2: Linear;
  private readonly pool: MaxPool2d;
  private readonly drop: Dropout;

  constructor({ head = 'logSoftmax', convDropout = 0.5, dropout = 0.5 }: MnistConvNetOptions = {}) {
    super();
    if (!HEADS.includes(head))
      throw new ModelOptionsError(`MnistConvNet: unknown head '${String(head)}', expected one of ${HEADS.join(', ')}`);
    this.head = head;
    this.conv1 = this.registerModule('conv1', new Conv2d(1, 10, 5));
    this.conv2 = this.registerModule('conv2', new Conv2d(10, 20, 5));
    this.conv2_drop = this.registerModule('conv2_drop', new Dropout2d(convDropout));
    this.fc1 = this.registerModule('fc1', new Linear(320, 50));
    this.fc2 = this.registerModule('fc2', new Linear(50, 10));
    this.pool = this.registerModule('pool', new MaxPool2d(2));
    this.drop = this.registerModule('dropout', new Dropout(dropout));
  }

  override get typeName(): string {
    return 'MnistConvNet';
  }

  override extraRepr(): string {
    return `head=${this.head}`;
  }

  forward(input: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const x = expectImages(input, [28, 28, 1], 'MnistConvNet');
      // PyTorch's example, line for line: relu(max_pool2d(conv1(x))), relu(max_pool2d(conv2_drop(conv2(x))))
      let h = tf.relu(this.pool.call(this.conv1.call(x)));
      h = tf.relu(this.pool.call(this.conv2_drop.call(this.conv2.call(h))));
      // NHWC -> NCHW before flattening: PyTorch's x.view(-1, 320) order, so fc1 columns match torch
      const flat = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [x.shape[0], 320]);
      const hidden = this.drop.call(tf.relu(this.fc1.call(flat)));
      const logits = this.fc2.call(hidden) as tf.Tensor2D;
      switch (this.head) {
        case 'logits':
          return logits;
        case 'logSoftmax':
          return tf.logSoftmax(logits);
        case 'softmax':
          return tf.softmax(logits);
        case 'sigmoid':
          return tf.sigmoid(logits);
      }
    });
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(MnistConvNet.prototype.forward);
