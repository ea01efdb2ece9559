import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import type { LrScheduler } from './schedulers';
import type { TrainingState } from './training-state';

/** Why fit returned: all epochs ran, the signal aborted it, early stopping, or another callback's `ctx.stop`. */
export type StopReason = 'completed' | 'aborted' | 'earlyStopping' | 'stopped';

/** One batch as data loaders yield it; fit and evaluate dispose x and y after use. */
export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
}

/**
 * Anything that yields batches: a `DataLoader` from @logitlab/datasets, an array, a generator.
 * When present, `setEpoch(e)` is called before each epoch (so a seeded shuffle replays on resume)
 * and `length` (batches per epoch) feeds progress and ETA.
 */
export type BatchSource = (Iterable<Batch> | AsyncIterable<Batch>) & { setEpoch?: (epoch: number) => void; length?: number };

/**
 * How a batch becomes model output. Default: `model.call(batch.x)`. Models with several outputs
 * (a VAE's reconstruction, mu and logVar) return them from here as one object.
 */
export type ForwardFn<M extends Module, O> = (model: M, batch: Batch) => O;

/**
 * The training objective on one batch: `(output of forward, batch.y) => scalar`. Exactly two
 * arguments, so library losses can be passed as they are (`loss: crossEntropy`); anything else a
 * loss needs (the input, for a reconstruction) comes through `forward`'s output.
 */
export type LossFn<O> = (output: O, target: tf.Tensor) => tf.Tensor;

/**
 * A per-batch metric for evaluate / validation: a MEAN over the batch's samples (accuracy, a
 * mean-reduced loss), as a scalar tensor or a number. evaluate weights it by batch size, so the
 * result is the mean over all samples. For metrics that are not means of per-sample values
 * (F1, IoU, ECE) collect outputs with `evaluate(..., { collect: true })` and use @logitlab/metrics.
 */
export type BatchMetric<O> = (output: O, target: tf.Tensor) => tf.Tensor | number;

/** The loss of one optimiser step, as read back from the device. */
export interface StepRecord {
  epoch: number;
  /** Global step, 0-based, counted across epochs (and across a resume). */
  step: number;
  /** Batch index within the epoch. */
  batch: number;
  /** Samples in the batch (batch.x.shape[0]). */
  size: number;
  loss: number;
}

/** What every epoch reports: `loss` (sample-weighted mean training loss) plus `val_<name>` entries. */
export interface EpochLogs {
  epoch: number;
  /** Global step count after this epoch. */
  steps: number;
  loss: number;
  seconds: number;
  [metric: string]: number;
}

/** Live state shared with callbacks. */
/** How fit ran its steps: compiled (traced once, then replayed) or eagerly, and why. */
export interface FitCompilation {
  /** Whether fit compiles its steps (`compile`, and under 'auto' the replayable marks). */
  compiled: boolean;
  /** Why fit does not compile, when it does not. */
  reason?: string;
  /** Steps (micro-steps and optimiser steps under accumulation) run eagerly, traced, and replayed. */
  eager: number;
  traces: number;
  replays: number;
  /** Every distinct reason a compiled step ran eagerly (the first step, a guard, a host read), in order. */
  fallbacks: string[];
}

export interface TrainContext<M extends Module = Module> {
  readonly model: M;
  readonly optimizer: tf.Optimizer;
  /** Epoch now running (0-based). */
  epoch: number;
  /** First epoch to run when this fit was started (non-zero after a resume). */
  readonly initialEpoch: number;
  readonly epochs: number;
  /** Optimiser steps done so far (global). */
  step: number;
  /** Batches per epoch when the data source says (`length`), else undefined. */
  readonly stepsPerEpoch: number | undefined;
  /** The seed fit was given (stored in checkpoints). */
  readonly seed: number | undefined;
  /** fit's `arch`, by default the model's `toString()` (stored in checkpoints, checked on resume). */
  readonly arch: string;
  /** fit's per-step options (accumulation, clipping, weight decay, scheduler); checkpoints record them. */
  readonly training: TrainingState;
  readonly scheduler: LrScheduler | undefined;
  /** The optimiser's learning rate now. */
  readonly learningRate: number;
  /** Ends training after the current epoch (early stopping passes reason 'earlyStopping'). */
  stop(message?: string, reason?: StopReason): void;
  readonly stopReason: StopReason | undefined;
  /** How the steps run so far (live: a progress callback can show it). */
  readonly compilation: FitCompilation;
}

/**
 * Training-loop hooks; every one may be async. Losses arrive in `onLosses` whenever they are read
 * from the device (every `checkEvery` steps and at each epoch's end), never per step, so callbacks
 * do not force a host round-trip per step.
 */
export interface Callback<M extends Module = Module> {
  onTrainBegin?(ctx: TrainContext<M>): void | Promise<void>;
  onEpochBegin?(ctx: TrainContext<M>): void | Promise<void>;
  /** After each optimiser step (no loss value: reading it would stall the device). */
  onBatchEnd?(ctx: TrainContext<M>, info: { batch: number; size: number }): void | Promise<void>;
  onLosses?(ctx: TrainContext<M>, records: readonly StepRecord[]): void | Promise<void>;
  onEpochEnd?(ctx: TrainContext<M>, logs: EpochLogs): void | Promise<void>;
  onTrainEnd?(ctx: TrainContext<M>, result: FitResult): void | Promise<void>;
}

export interface FitResult {
  /** One entry per epoch run by this call. */
  history: EpochLogs[];
  /** Per-step training losses of this call, in order. */
  losses: number[];
  /** Epochs completed in total (including those before a resume). */
  epochs: number;
  /** Optimiser steps in total (including those before a resume). */
  steps: number;
  /** 'completed' unless the signal, early stopping or a callback ended training first. */
  stopReason: StopReason;
  /** What stopped it, in words (e.g. early stopping's monitor and patience). */
  stopMessage?: string;
  /** How this call ran its steps: compiled or eagerly, and why. */
  compilation: FitCompilation;
}
