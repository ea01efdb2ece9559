import { replayable } from '@logitlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { Module } from '@logitlab/layers';

/**
 * A residual Add as one layer (zennit's `Sum`): its input is the summands stacked on a new last axis,
 * its output their sum. As a layer it is a linear map that LRP can treat like a pool, splitting
 * relevance in proportion to the summands; as a plain tf.add it would split it evenly by the gradient.
 */
export class Sum extends Module {
  override get typeName(): string {
    return 'Sum';
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.sum(x, -1);
  }
}

// tensor-only forwards: a compiled step or evaluation may replay them (a host read inside falls back, with its reason)
replayable(Sum.prototype.forward);
