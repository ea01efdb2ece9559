import type { Module } from '@logitlab/layers';
import { checkpointName, listCheckpoints, saveCheckpoint } from '../checkpoint';
import { TrainError } from '../errors';
import type { CheckpointStorage } from '../storage';
import { snapshotTraining } from '../training-state';
import type { Callback } from '../types';

export interface CheckpointOptions {
  storage: CheckpointStorage;
  /** Keep only the newest N checkpoints of this prefix (older ones are removed after a write). Default 3. */
  keepLast?: number;
  /** Write every N epochs (and after the last epoch). Default 1. */
  every?: number;
  /** File name prefix: `<prefix>-epoch-00003.safetensors`. Default 'checkpoint'. */
  prefix?: string;
}

/**
 * Writes a checkpoint (weights, optimiser state, epoch, step, seed, RNG state, fit's `arch`, per-step options and scheduler state) at the end of epochs,
 * through the storage's atomic write, and prunes to the newest `keepLast`. Resume with
 * `fit(model, { ..., resume: storage })`. Put it after callbacks that draw random numbers.
 */
export function checkpoint<M extends Module = Module>(options: CheckpointOptions): Callback<M> {
  const { storage, keepLast = 3, every = 1, prefix = 'checkpoint' } = options;
  if (!Number.isInteger(keepLast) || keepLast < 1) throw new TrainError(`keepLast must be a positive integer; got ${keepLast}`);
  // every: 0 made `done % every` NaN, so only the last epoch was ever written
  if (!Number.isInteger(every) || every < 1) throw new TrainError(`checkpoint every must be a positive integer; got ${every}`);
  if (!/^[\w.-]+$/.test(prefix)) throw new TrainError(`checkpoint prefix "${prefix}" must be letters, digits, '.', '_' or '-'`);
  return {
    async onEpochEnd(ctx, logs) {
      const done = logs.epoch + 1;
      if (done % every !== 0 && done !== ctx.epochs) return;
      const bytes = await saveCheckpoint(ctx.model, ctx.optimizer, {
        epoch: done,
        step: ctx.step,
        seed: ctx.seed,
        arch: ctx.arch,
        training: snapshotTraining(ctx.training, ctx.scheduler),
      });
      await storage.write(checkpointName(prefix, done), bytes);
      const names = await listCheckpoints(storage, prefix);
      for (const old of names.slice(0, Math.max(0, names.length - keepLast))) await storage.remove(old);
    },
  };
}
