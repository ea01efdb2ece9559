import type * as tf from '@tensorflow/tfjs-core';
import { optimizerLearningRate } from '@logitlab/backends/compat';
import type { Module } from '@logitlab/layers';
import type { PauseController } from '../pause';
import type { LrScheduler } from '../schedulers';
import type { TrainingState } from '../training-state';
import type { BatchSource, Callback, FitCompilation, StopReason, TrainContext } from '../types';
import type { StartingPoint } from './resume';

/** The live state callbacks see, the callbacks' dispatcher, and the step boundary's pause/abort check. */
export interface Run<M extends Module> {
  ctx: TrainContext<M>;
  /** Calls `hook` on every callback in order, awaiting each. */
  emit<K extends keyof Callback<M>>(hook: K, ...args: unknown[]): Promise<void>;
  /** Stage "pause/abort": waits while paused; true when training must end now (the signal aborted). */
  aborted(): Promise<boolean>;
  readonly stopMessage: string | undefined;
}

export function createRun<M extends Module>(
  model: M,
  o: {
    optimizer: tf.Optimizer;
    data: BatchSource;
    epochs: number;
    callbacks?: Callback<M>[];
    signal?: AbortSignal;
    pause?: PauseController;
    scheduler?: LrScheduler;
  },
  start: StartingPoint,
  training: TrainingState,
  arch: string,
  compilation: () => FitCompilation,
): Run<M> {
  const { optimizer, signal, pause, callbacks = [] } = o;
  let stopReason: StopReason | undefined;
  let stopMessage: string | undefined;
  const ctx: TrainContext<M> = {
    model,
    optimizer,
    epoch: start.epoch,
    initialEpoch: start.epoch,
    epochs: o.epochs,
    step: start.step,
    stepsPerEpoch: typeof o.data.length === 'number' ? o.data.length : undefined,
    seed: start.seed,
    arch,
    training,
    scheduler: o.scheduler,
    get learningRate() {
      return optimizerLearningRate(optimizer);
    },
    stop: (message = 'stopped by a callback', reason: StopReason = 'stopped') => {
      stopReason = reason;
      stopMessage = message;
    },
    get stopReason() {
      return stopReason;
    },
    get compilation() {
      return compilation();
    },
  };
  return {
    ctx,
    async emit(hook, ...args) {
      for (const cb of callbacks) {
        const fn = cb[hook] as ((...a: unknown[]) => void | Promise<void>) | undefined;
        if (fn) await fn.call(cb, ctx, ...args);
      }
    },
    async aborted() {
      if (pause?.paused && !signal?.aborted) await pause.wait(signal);
      if (signal?.aborted && stopReason === undefined) ctx.stop('aborted by the signal', 'aborted');
      return stopReason === 'aborted';
    },
    get stopMessage() {
      return stopMessage;
    },
  };
}
