import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm1d, Dropout, Linear, Module, ReLU, Sequential } from '@logitlab/layers';
import { ModelOptionsError } from './errors';
import { flattenBatch } from './input';
import { replayable } from '@logitlab/core';

export interface BnMlpOptions {
  /** [input, ...hidden, classes]; at least two entries. */
  sizes?: number[];
  /** Dropout probability inside every block. */
  dropout?: number;
}

/**
 * The seed's BatchNorm -> Dropout -> Linear blocks, ReLU between blocks (not after the last):
 * for sizes [784, 256, 128, 10] the children of `net` are
 * 0 BatchNorm1d(784), 1 Dropout, 2 Linear(784, 256), 3 ReLU, 4 BatchNorm1d(256), ... 10 Linear(128, 10).
 * Outputs logits. Image batches are flattened.
 */
export class BnMlp extends Module {
  readonly sizes: number[];
  readonly net: Sequential;

  override get typeName(): string {
    return 'BnMlp';
  }

  constructor({ sizes = [784, 256, 128, 10], dropout = 0.2 }: BnMlpOptions = {}) {
    super();
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new ModelOptionsError(`BnMlp: sizes must be at least two positive integers, got [${sizes.join(', ')}]`);
    }
    this.sizes = [...sizes];
    const layers: Module[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      layers.push(new BatchNorm1d(sizes[i]!), new Dropout(dropout), new Linear(sizes[i]!, sizes[i + 1]!));
      if (i + 2 < sizes.length) layers.push(new ReLU());
    }
    this.net = this.registerModule('net', new Sequential(...layers));
  }

  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.net.call(flattenBatch(x, this.sizes[0]!, 'BnMlp')) as tf.Tensor2D);
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(BnMlp.prototype.forward);
