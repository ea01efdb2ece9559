import * as tf from '@tensorflow/tfjs-core';
import { OptionError, ShapeError } from './errors';
import { pyBool, pyFloat } from './describe';
import { requireFloatInput } from './input-checks';
import { Module } from './module';
import { batchNormTrain } from './batchnorm-train';
import { replayable } from '@logitlab/core';

export interface BatchNormOptions {
  eps?: number;
  /** Weight of the newest batch in the running averages; null = cumulative average (PyTorch's momentum=None). */
  momentum?: number | null;
  /** Learnable per-channel scale (weight) and shift (bias). */
  affine?: boolean;
  /** Keep running_mean / running_var / num_batches_tracked; without them eval mode uses batch statistics too. */
  trackRunningStats?: boolean;
}

/**
 * PyTorch's batch norm over the last (channel) axis. Train mode normalises with the batch mean and
 * biased variance and, inside forward, moves the running mean and UNBIASED variance towards them;
 * these are buffers, so no optimizer ever updates them. Eval mode uses the running statistics.
 */
abstract class BatchNormBase extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly weight: tf.Variable | null;
  readonly bias: tf.Variable | null;
  private readonly mean: tf.Variable | null;
  private readonly variance: tf.Variable | null;
  private readonly batches: tf.Variable | null;
  protected abstract readonly kind: string;
  protected abstract readonly ranks: readonly number[];

  constructor(
    readonly numFeatures: number,
    { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true }: BatchNormOptions = {},
  ) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1)
      throw new OptionError(`BatchNorm numFeatures must be a positive integer, got ${numFeatures}`);
    if (momentum !== null && !(momentum >= 0 && momentum <= 1))
      throw new OptionError(`BatchNorm momentum must be in [0, 1] or null, got ${momentum}`);
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = affine ? this.registerParameter('weight', tf.ones([numFeatures])) : null;
    this.bias = affine ? this.registerParameter('bias', tf.zeros([numFeatures])) : null;
    this.mean = trackRunningStats ? this.registerBuffer('running_mean', tf.zeros([numFeatures])) : null;
    this.variance = trackRunningStats ? this.registerBuffer('running_var', tf.ones([numFeatures])) : null;
    this.batches = trackRunningStats ? this.registerBuffer('num_batches_tracked', tf.scalar(0, 'int32')) : null;
  }

  override get typeName(): string {
    return this.kind;
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? 'None' : pyFloat(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${momentum}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }

  /** The running mean (a live buffer: read it, do not dispose it). Null without trackRunningStats. */
  get runningMean(): tf.Variable | null {
    return this.mean;
  }

  get runningVar(): tf.Variable | null {
    return this.variance;
  }

  get numBatchesTracked(): tf.Variable | null {
    return this.batches;
  }

  /** Resets running statistics as PyTorch's reset_running_stats. */
  resetRunningStats(): void {
    tf.tidy(() => {
      if (this.mean) this.mean.assign(tf.zerosLike(this.mean));
      if (this.variance) this.variance.assign(tf.onesLike(this.variance));
      if (this.batches) this.batches.assign(tf.scalar(0, 'int32'));
    });
  }

  forward(x: tf.Tensor): tf.Tensor {
    const c = x.shape[x.rank - 1];
    if (!this.ranks.includes(x.rank) || c !== this.numFeatures) {
      const want = this.ranks.map((r) => `[${[...Array(r - 1).fill('_'), this.numFeatures].join(', ')}]`).join(' or ');
      throw new ShapeError(`${this.kind}(${this.numFeatures}) expects channels-last input ${want}, got [${x.shape.join(', ')}]`);
    }
    requireFloatInput(`${this.kind}(${this.numFeatures})`, x);
    const useBatchStats = this.training || !this.trackRunningStats;
    if (!useBatchStats) {
      return tf.batchNorm(
        x,
        this.mean as tf.Tensor1D,
        this.variance as tf.Tensor1D,
        this.bias ?? undefined,
        this.weight ?? undefined,
        this.eps,
      );
    }
    const perChannel = x.size / this.numFeatures;
    if (this.training && perChannel <= 1) {
      throw new ShapeError(`Expected more than 1 value per channel when training, got input size [${x.shape.join(', ')}]`);
    }
    // channels last: every channel's values are one column of a [rows, C] view (already so for [N, C])
    const flat = x.rank === 2;
    const rows = flat ? (x as tf.Tensor2D) : (tf.reshape(x, [perChannel, this.numFeatures]) as tf.Tensor2D);
    const updateStats = this.training && this.trackRunningStats;
    const y = batchNormTrain(rows, this.weight as tf.Tensor1D | null, this.bias as tf.Tensor1D | null, this.eps, ({ mean, variance }) => {
      if (updateStats) this.updateRunningStats(mean, variance, perChannel);
    });
    if (flat) return y;
    rows.dispose();
    const out = tf.reshape(y, x.shape);
    y.dispose();
    return out;
  }

  /**
   * Buffer update as in PyTorch, run inside batchNormTrain's forward pass, where nothing is taped.
   * assign() swaps the variables' data in place and the tidy frees the intermediates, so it is
   * leak-free inside optimizer.minimize / tf.variableGrads.
   */
  private updateRunningStats(mean: tf.Tensor, variance: tf.Tensor, n: number): void {
    const rm = this.mean as tf.Variable;
    const rv = this.variance as tf.Variable;
    const nb = this.batches as tf.Variable;
    tf.tidy(() => {
      nb.assign(tf.add(nb, tf.scalar(1, 'int32')));
      // momentum null: cumulative moving average, factor 1 / num_batches_tracked
      const factor = this.momentum ?? 1 / (nb.dataSync()[0] ?? 1);
      const unbiased = tf.mul(variance, n / (n - 1));
      rm.assign(tf.add(tf.mul(rm, 1 - factor), tf.mul(mean, factor)));
      rv.assign(tf.add(tf.mul(rv, 1 - factor), tf.mul(unbiased, factor)));
    });
  }
}

/** BatchNorm over [N, C] or [N, L, C] (PyTorch's [N, C, L] with channels last). */
export class BatchNorm1d extends BatchNormBase {
  protected readonly kind = 'BatchNorm1d';
  protected readonly ranks = [2, 3] as const;
}

/** BatchNorm over NHWC [N, H, W, C]. */
export class BatchNorm2d extends BatchNormBase {
  protected readonly kind = 'BatchNorm2d';
  protected readonly ranks = [4] as const;
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(BatchNormBase.prototype.forward);
