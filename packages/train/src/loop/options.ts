import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import type { PauseController } from '../pause';
import type { LrScheduler } from '../schedulers';
import type { GradClip, WeightDecay } from '../step-options';
import type { CheckpointStorage } from '../storage';
import type { BatchMetric, BatchSource, Callback, ForwardFn, LossFn } from '../types';

export interface ValidationOptions<O> {
  data: BatchSource;
  /** Extra per-batch metrics, logged as `val_<name>`. `val_loss` (the training loss) is always logged. */
  metrics?: Record<string, BatchMetric<O>>;
  /** Validate every this many epochs (and after the last). Default 1. */
  every?: number;
}

export interface FitOptions<M extends Module, O = tf.Tensor> {
  /**
   * The objective: `loss(output, target)` must return a scalar. `output` is what `forward`
   * returns: by default `model.call(batch.x)`, so a classifier is just `loss: crossEntropy`.
   */
  loss: LossFn<O>;
  /**
   * How a batch becomes the loss's first argument; default `(model, batch) => model.call(batch.x)`.
   * Models with several outputs return them together, with anything else the loss needs, e.g. for a VAE
   * `forward: (vae, b) => ({ ...vae.forwardWithLatent(b.x), input: b.x })` and `loss: (o) => vaeLoss(o).loss`.
   */
  forward?: ForwardFn<M, O>;
  optimizer: tf.Optimizer;
  data: BatchSource;
  /** Total epochs (counting those before a resume). */
  epochs: number;
  validation?: ValidationOptions<O>;
  callbacks?: Callback<M>[];
  /**
   * Seeds the layers' global generator (dropout masks, noise) with `manualSeed(seed)` before the
   * first epoch. The data loader's shuffle is seeded by its own `seed` option; fit calls its
   * `setEpoch(e)` every epoch so the order depends only on (loader seed, epoch). Omit to leave the
   * generator as it is.
   */
  seed?: number;
  /** Runs after every optimiser step, inside tf.tidy (e.g. projecting biases to <= 0). */
  afterStep?: (model: M, info: { epoch: number; step: number; batch: number }) => void;
  /**
   * Read losses from the device every this many steps (default 20): fewer host round-trips.
   * A non-finite loss is detected at the next read and reported with its own step; `1` stops at once.
   */
  checkEvery?: number;
  /** Parameters to optimise; default `model.parameters()`. */
  trainable?: tf.Variable[];
  /**
   * Resume from a checkpoint (bytes, or the newest one in a storage): restores weights, optimiser
   * state, epoch, step and the RNG state, then continues as the uninterrupted run would.
   * A storage with no checkpoint starts from scratch.
   */
  resume?: Uint8Array | CheckpointStorage;
  /**
   * Describes the architecture; default `model.toString()` (PyTorch's repr: every layer with its
   * settings). Checkpoints record it, and a resume from a checkpoint of another architecture throws
   * ArchitectureMismatchError before any weight is touched.
   */
  arch?: string;
  /** Stops at the next step boundary (mid-epoch too): the result has stopReason 'aborted'; a partial epoch is not logged. */
  signal?: AbortSignal;
  /** Pauses between steps while `pause.paused` (fit awaits, no busy loop). */
  pause?: PauseController;
  /** Clip the gradients (by value, then by joint norm) before each optimiser step. */
  gradClip?: GradClip;
  /**
   * Sum the gradients of this many batches, then take one optimiser step on their mean (default 1).
   * A last, shorter group of an epoch is stepped on its own mean. Steps and losses still count batches.
   */
  accumulateSteps?: number;
  /** L2 (added to the gradient) or decoupled (AdamW-style) weight decay. */
  weightDecay?: WeightDecay;
  /** Learning-rate schedule (stepLR, cosineAnnealingLR, oneCycleLR, reduceLROnPlateau); saved in checkpoints. */
  scheduler?: LrScheduler;
  /**
   * Record the training step once at the kernel level and replay it without tfjs's engine
   * (`compileStep`): the same run, bit for bit on cpu. `'auto'` (the default) and `true` compile wherever
   * the guards allow and run other steps eagerly, telling the reason once; with `accumulateSteps` > 1 the
   * micro-steps and the optimiser steps are compiled apart. `false` steps eagerly.
   */
  compile?: 'auto' | boolean;
}
