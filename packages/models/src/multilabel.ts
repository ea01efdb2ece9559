import * as tf from '@tensorflow/tfjs-core';
import { Dropout, Linear, Module, ReLU, Sequential } from '@logitlab/layers';
import { ModelOptionsError } from './errors';
import { flattenBatch } from './input';
import { replayable } from '@logitlab/core';

export interface MultiLabelHeadOptions {
  /** Values per sample (28 * 56 for the two-digit images). */
  input?: number;
  hidden?: number[];
  /** One logit per label. */
  classes?: number;
  dropout?: number;
}

/**
 * A multi-label classifier for "which digits are present": MLP input -> hidden (ReLU, dropout) ->
 * `classes` independent LOGITS. Train with binaryCrossEntropyWithLogits on multi-hot targets; read
 * sigmoid(logit) > 0.5 per label. (A softmax over the same logits cannot say "both".)
 * Takes [N, 28, 56, 1] or [N, 1568]; state dict: net.0.weight, net.0.bias, ...
 */
export class MultiLabelHead extends Module {
  readonly input: number;
  readonly classes: number;
  readonly net: Sequential;

  override get typeName(): string {
    return 'MultiLabelHead';
  }

  constructor({ input = 28 * 56, hidden = [256], classes = 10, dropout = 0 }: MultiLabelHeadOptions = {}) {
    super();
    const sizes = [input, ...hidden, classes];
    if (sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new ModelOptionsError(`MultiLabelHead: input, hidden and classes must be positive integers, got [${sizes.join(', ')}]`);
    }
    this.input = input;
    this.classes = classes;
    const layers: Module[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      layers.push(new Linear(sizes[i]!, sizes[i + 1]!));
      if (i + 2 < sizes.length) layers.push(new ReLU(), new Dropout(dropout));
    }
    this.net = this.registerModule('net', new Sequential(...layers));
  }

  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.net.call(flattenBatch(x, this.input, 'MultiLabelHead')) as tf.Tensor2D);
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(MultiLabelHead.prototype.forward);
