import * as tf from '@tensorflow/tfjs-core';
import { optimizerLearningRate, variableGradsReleasing } from '@logitlab/backends/compat';
import { collectChecks, type DeferredCheck } from '@logitlab/core';
import type { Module } from '@logitlab/layers';
import { TrainError } from './errors';
import { checkLossValue } from './validate-options';
import { checkStepOptions, type GradClip, type WeightDecay } from './step-options';
import type { Batch, ForwardFn, LossFn } from './types';

export { checkStepOptions, type GradClip, type WeightDecay } from './step-options';

/**
 * One batch's loss and the data checks its loss deferred (a target range, see @logitlab/core's
 * `collectChecks`): read them with the loss and throw the first verdict's error. The caller disposes both.
 */
export interface StepLoss {
  loss: tf.Scalar;
  checks: DeferredCheck[];
}

export interface StepOptions<M extends Module, O = tf.Tensor> {
  loss: LossFn<O>;
  forward?: ForwardFn<M, O>;
  optimizer: tf.Optimizer;
  /** Parameters to optimise; default `model.parameters()`. */
  trainable?: tf.Variable[];
  gradClip?: GradClip;
  weightDecay?: WeightDecay;
}

/**
 * Forward + backward on micro-batches, summing gradients, then one optimiser step on their mean:
 * clip by value, clip by norm, weight decay, `optimizer.applyGradients`. Gradients are computed so
 * that a throwing loss frees everything (tfjs's `minimize` leaks the gradient tape then).
 */
export class Stepper<M extends Module, O = tf.Tensor> {
  private sum: Array<tf.Tensor | undefined> | undefined;
  private count = 0;
  private readonly vars: tf.Variable[];
  private readonly forward: ForwardFn<M, O>;

  constructor(
    private readonly model: M,
    private readonly options: StepOptions<M, O>,
  ) {
    checkStepOptions(options);
    this.vars = options.trainable ?? model.parameters();
    this.forward = options.forward ?? ((m: M, b: Batch) => m.call(b.x) as O);
  }

  /** Micro-batches whose gradients wait for `apply`. */
  get pending(): number {
    return this.count;
  }

  /**
   * Runs one batch forward and backward, adds its gradients; returns its loss (the caller disposes it).
   * With `deferChecks` the loss's data checks come back unread in `checks` (no host read in the step);
   * without, they are read inside the loss and throw there, before any gradient is kept.
   */
  accumulate(batch: Batch, deferChecks = false): StepLoss {
    if (!deferChecks) return { loss: this.forwardBackward(batch), checks: [] };
    const { result, checks } = collectChecks(() => this.forwardBackward(batch));
    return { loss: result, checks };
  }

  private forwardBackward(batch: Batch): tf.Scalar {
    return tf.tidy(() => {
      const { loss, grads } = this.lossAndGradients(batch);
      const next = grads.map((g, i) => {
        const prev = this.sum?.[i];
        if (!g) return prev;
        return tf.keep(prev ? tf.add(prev, g) : g);
      });
      tf.dispose(this.sum?.filter((t): t is tf.Tensor => t !== undefined && !next.includes(t)));
      this.sum = next;
      this.count++;
      return loss;
    });
  }

  /**
   * One batch forward and backward: the loss and each trainable's gradient (undefined where the loss
   * does not reach it), in the trainable list's order, nothing summed. Call inside a tidy.
   */
  lossAndGradients(batch: Batch): { loss: tf.Scalar; grads: Array<tf.Tensor | undefined> } {
    const { value, grads } = variableGradsReleasing(() => {
      const out = this.options.loss(this.forward(this.model, batch), batch.y);
      checkLossValue(out);
      if (out.rank !== 0)
        throw new TrainError(`loss returned shape [${out.shape.join(', ')}]; expected a scalar (use reduction 'mean' or 'sum')`);
      return out as tf.Scalar;
    }, this.vars);
    return { loss: value, grads: this.vars.map((v) => grads[v.name]) };
  }

  /** One optimiser step on the mean of the accumulated gradients (no-op when none are pending). */
  apply(): void {
    const sum = this.sum;
    if (!sum || this.count === 0) return;
    try {
      this.applySum(sum, this.count);
    } finally {
      this.discard();
    }
  }

  /**
   * One optimiser step on `sum` / `n` (a trainable without a gradient is undefined): clip by value,
   * clip by norm, weight decay, `optimizer.applyGradients`. `sum` is left as it was.
   */
  applySum(sum: ReadonlyArray<tf.Tensor | undefined>, n: number): void {
    const { gradClip, weightDecay, optimizer } = this.options;
    tf.tidy(() => {
      let grads = sum.map((g) => (g && n > 1 ? tf.div(g, n) : g));
      if (gradClip?.value !== undefined) {
        const v = gradClip.value;
        grads = grads.map((g) => (g ? tf.clipByValue(g, -v, v) : g));
      }
      if (gradClip?.maxNorm !== undefined) {
        const present = grads.filter((g): g is tf.Tensor => g !== undefined);
        if (present.length) {
          // torch.nn.utils.clip_grad_norm_: one 2-norm over all gradients, scale = min(1, max / (norm + 1e-6))
          const norm = tf.norm(tf.stack(present.map((g) => tf.norm(g))));
          const scale = tf.minimum(tf.div(gradClip.maxNorm, tf.add(norm, 1e-6)), 1);
          grads = grads.map((g) => (g ? tf.mul(g, scale) : g));
        }
      }
      if (weightDecay && weightDecay.value > 0) {
        if (weightDecay.mode === 'l2')
          grads = grads.map((g, i) => (g ? tf.add(g, tf.mul(this.vars[i] as tf.Variable, weightDecay.value)) : g));
        else {
          const shrink = 1 - optimizerLearningRate(optimizer) * weightDecay.value;
          this.vars.forEach((v, i) => {
            if (grads[i]) v.assign(tf.mul(v, shrink));
          });
        }
      }
      // in the trainable list's order: tfjs optimizers match their slots to variables by position
      optimizer.applyGradients(this.vars.map((v, i) => ({ name: v.name, tensor: grads[i] as tf.Tensor })));
    });
  }

  /** Drops pending gradients (an aborted or failed run). */
  discard(): void {
    tf.dispose(this.sum?.filter((t): t is tf.Tensor => t !== undefined));
    this.sum = undefined;
    this.count = 0;
  }
}

/**
 * Exactly one optimiser step on one batch, with fit's per-step options (clipping, weight decay), for
 * experiments that step by hand. Returns the loss (the caller disposes it and the batch).
 */
export function trainStep<M extends Module, O = tf.Tensor>(model: M, batch: Batch, options: StepOptions<M, O>): tf.Scalar {
  const stepper = new Stepper(model, options);
  const { loss } = stepper.accumulate(batch);
  try {
    stepper.apply();
  } catch (e) {
    loss.dispose();
    throw e;
  }
  return loss;
}
