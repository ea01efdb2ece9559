import path from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import {
  type BatchSource,
  type Callback,
  type CheckpointStorage,
  type EpochLogs,
  type FitOptions,
  type ForwardFn,
  type LossFn,
  checkpoint,
  describeCompilation,
  fit,
  latestCheckpoint,
  metricLogger,
} from '@logitlab/train';
import { fileStorage, jsonlFileSink } from '@logitlab/train/node';
import type { ExperimentContext } from './context';

/**
 * How one model of a run is trained: the app's names for @logitlab/train's `fit` options. The loop,
 * checkpoints, resume, progress and metric lines all come from @logitlab/train.
 */
export interface TrainSpec<M extends Module, O = tf.Tensor> {
  /** Unique within the run: names the checkpoints and tags the metrics lines. */
  tag: string;
  /** Architecture description (default the model's `toString()`); a checkpoint of another architecture is refused on resume. */
  arch?: string;
  model: M;
  optimizer: tf.Optimizer;
  data: BatchSource;
  epochs: number;
  loss: LossFn<O>;
  /** What `loss` receives; default the model's output. A VAE returns reconstruction, mu and logVar. */
  forward?: ForwardFn<M, O>;
  afterStep?: FitOptions<M, O>['afterStep'];
  /** Gradient clipping (by value, then by global norm), as fit applies it. */
  gradClip?: FitOptions<M, O>['gradClip'];
  /** Read the losses from the device every N steps (a host round-trip), not every step. */
  checkEvery?: number;
}

/** One training step's loss, tagged with its model (for loss curves of several models). */
export interface StepLoss {
  tag: string;
  /** 0-based epoch. */
  epoch: number;
  /** 0-based global step. */
  step: number;
  loss: number;
}

export interface TrainResult {
  /** Per-epoch logs, including epochs an interrupted run finished before this process started. */
  history: EpochLogs[];
  /** Every step's loss, including those of restored epochs (read back from metrics.jsonl). */
  steps: StepLoss[];
  finalLoss: number;
  /** Epochs already done when this process started (0 on a fresh run). */
  resumedFromEpoch: number;
}

/** Where a run keeps its checkpoints: `<run>/checkpoints/<prefix>-epoch-NNNNN.safetensors`. */
export function checkpointStorage(runDir: string): CheckpointStorage & { readonly dir: string } {
  return fileStorage(path.join(runDir, 'checkpoints'));
}

/** Checkpoint file prefix of a tag ('logSoftmax+nllLoss' -> 'logSoftmax_nllLoss'): file names stay plain. */
export function checkpointPrefix(tag: string): string {
  return tag.replace(/[^\w.-]/g, '_');
}

/**
 * Trains one model with `fit`, checkpointing every epoch (atomically, keeping the newest). With
 * --resume, fit restores weights, optimizer state, epoch, step and RNG from the tag's checkpoint and
 * continues exactly as the uninterrupted run would; a tag whose checkpoint is complete is not trained
 * again. The model is left in eval mode.
 */
export async function trainModel<M extends Module, O = tf.Tensor>(ctx: ExperimentContext, spec: TrainSpec<M, O>): Promise<TrainResult> {
  const { tag, model } = spec;
  const storage = checkpointStorage(ctx.run.dir);
  const prefix = checkpointPrefix(tag);
  const steps: StepLoss[] = [];
  const record: Callback<M> = {
    onTrainBegin(c) {
      if (c.initialEpoch > 0) ctx.log(`${tag}: resumed from checkpoint after epoch ${c.initialEpoch}/${c.epochs}`);
    },
    onLosses(_c, records) {
      for (const r of records) steps.push({ tag, epoch: r.epoch, step: r.step, loss: r.loss });
    },
  };
  const result = await fit(model, {
    loss: spec.loss,
    forward: spec.forward,
    optimizer: spec.optimizer,
    data: spec.data,
    epochs: spec.epochs,
    seed: ctx.seed,
    arch: spec.arch,
    afterStep: spec.afterStep,
    checkEvery: spec.checkEvery,
    gradClip: spec.gradClip,
    // the newest checkpoint of THIS tag (a run holds one per model); none yet: a fresh start
    resume: ctx.opts.resume ? await latestCheckpoint(storage, prefix) : undefined,
    callbacks: [
      record,
      ctx.progress(tag),
      metricLogger(jsonlFileSink(ctx.run.file('metrics.jsonl')), { extra: { tag } }),
      checkpoint({ storage, keepLast: 1, prefix }),
    ],
  });
  model.eval();
  ctx.log(describeCompilation(result.compilation, result.losses.length));
  const resumedFromEpoch = result.epochs - result.history.length;
  const earlier = restoredLosses(ctx, tag, resumedFromEpoch);
  const history = [...earlier.history, ...result.history];
  return { history, steps: [...earlier.steps, ...steps], finalLoss: history.at(-1)?.loss ?? Number.NaN, resumedFromEpoch };
}

/**
 * The losses of epochs an interrupted run finished, from metrics.jsonl. Lines a killed run wrote
 * after its last checkpoint are dropped (those steps ran again); the latest line per key wins.
 */
function restoredLosses(ctx: ExperimentContext, tag: string, beforeEpoch: number): { history: EpochLogs[]; steps: StepLoss[] } {
  if (beforeEpoch === 0) return { history: [], steps: [] };
  const epochs = new Map<number, EpochLogs>();
  const steps = new Map<number, StepLoss>();
  for (const r of ctx.run.readMetrics()) {
    if (r.tag !== tag || typeof r.epoch !== 'number' || r.epoch >= beforeEpoch) continue;
    const loss = typeof r.loss === 'number' ? r.loss : Number.NaN;
    if (r.type === 'epoch') epochs.set(r.epoch, { epoch: r.epoch, steps: Number(r.steps), loss, seconds: Number(r.seconds) });
    if (r.type === 'step' && typeof r.step === 'number') steps.set(r.step, { tag, epoch: r.epoch, step: r.step, loss });
  }
  return { history: byKey(epochs), steps: byKey(steps) };
}

/** A map's values in ascending key order. */
function byKey<T>(m: Map<number, T>): T[] {
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
  return [...m.keys()].sort((a, b) => a - b).map((k) => m.get(k) as T);
}
