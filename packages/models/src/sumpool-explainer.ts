import * as tf from '@tensorflow/tfjs-core';
import { Linear, Module, SumPool1d } from '@logitlab/layers';
import { flattenBatch } from './input';
import { replayable } from '@logitlab/core';

const FC1_INIT_SCALE = 0.1;

export interface SumPoolExplainerOptions {
  /**
   * Keep detection biases <= 0 (Montavon et al. 2017: the z+ root point exists only then). The
   * constraint is enforced by `projectBiases()`, which a training loop calls after every optimiser step.
   */
  nonPositiveBias?: boolean;
}

/**
 * The Montavon et al. 2017 (Deep Taylor decomposition) network for 28x56 two-digit images:
 * 1568 -> fc1 400 ReLU detection units -> sum-pool groups of 4 -> 100 -> fc2 400 ReLU -> sum of all 400 -> f(x).
 * Input [N, 28, 56, 1] or [N, 1568]; output [N, 1]. Explain it with `explain(model, x, { method: 'lrp', composite: 'deepTaylor', bounds })`
 * from @logitlab/explain (zB on fc1, proportional through the sum-pools, z+ on fc2). Trained with MSE on targets 100 (a target digit
 * present) / 0 (absent). State dict: fc1.weight [400, 1568], fc1.bias, fc2.weight [400, 100], fc2.bias.
 */
export class SumPoolExplainer extends Module {
  readonly inputSize = 28 * 56;
  readonly nonPositiveBias: boolean;
  readonly fc1: Linear;
  readonly pool: SumPool1d;
  readonly fc2: Linear;
  /** The output sum as a layer (no state), so an explanation sees it and hands each unit its own activation as relevance. */
  readonly sum: SumPool1d;

  override get typeName(): string {
    return 'SumPoolExplainer';
  }

  override extraRepr(): string {
    return `nonPositiveBias=${this.nonPositiveBias ? 'True' : 'False'}`;
  }

  constructor({ nonPositiveBias = true }: SumPoolExplainerOptions = {}) {
    super();
    this.nonPositiveBias = nonPositiveBias;
    this.fc1 = this.registerModule('fc1', new Linear(this.inputSize, 400));
    this.pool = this.registerModule('pool', new SumPool1d(4));
    this.fc2 = this.registerModule('fc2', new Linear(100, 400));
    this.sum = this.registerModule('sum', new SumPool1d(400));
    // Zero biases are admissible under the constraint. fc1 starts at a tenth of PyTorch's default
    // scale: the weights the task needs grow out of it within an epoch (f(x) starts near 5 and
    // MSE pulls it to 100 / 0), while pixels the task never uses keep little weight, which measurably
    // sharpens Deep Taylor heatmaps (share on the target digit's half 0.57 -> 0.67 at equal accuracy).
    tf.tidy(() => {
      this.fc1.weight.assign(tf.mul(this.fc1.weight, FC1_INIT_SCALE));
      for (const b of [this.fc1.bias, this.fc2.bias]) b?.assign(tf.zerosLike(b));
    });
  }

  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const h1 = tf.relu(this.fc1.call(flattenBatch(x, this.inputSize, 'SumPoolExplainer')));
      const pooled = this.pool.call(h1);
      const h2 = tf.relu(this.fc2.call(pooled));
      return this.sum.call(h2) as tf.Tensor2D;
    });
  }

  /**
   * Clamps both detection layers' biases to <= 0 in place (a projection onto the constraint set);
   * call it after each optimiser step when `nonPositiveBias` is set. A no-op otherwise.
   */
  projectBiases(): void {
    if (!this.nonPositiveBias) return;
    for (const layer of [this.fc1, this.fc2]) {
      const b = layer.bias;
      if (b) tf.tidy(() => b.assign(tf.minimum(b, 0)));
    }
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(SumPoolExplainer.prototype.forward);
