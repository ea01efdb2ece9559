import type * as tf from '@tensorflow/tfjs-core';
import { setOptimizerLearningRate } from '@logitlab/backends/compat';
import { manualSeed, type Module } from '@logitlab/layers';
import { latestCheckpoint, loadCheckpoint, readCheckpointInfo } from '../checkpoint';
import { ArchitectureMismatchError, CheckpointError } from '../errors';
import type { LrScheduler } from '../schedulers';
import type { CheckpointStorage } from '../storage';
import { restoreTraining, type TrainingState } from '../training-state';

/** Where a run starts: epoch 0 of a fresh run, or where its checkpoint left off. */
export interface StartingPoint {
  epoch: number;
  step: number;
  seed: number | undefined;
}

/**
 * Stage "resume": restores weights, optimiser state, epoch, step, the generator and the scheduler from
 * `resume` (bytes, or a storage's newest checkpoint), or seeds a fresh run. Everything that would make the
 * resumed run another run (architecture, seed, per-step options) is checked before a weight is written.
 */
export async function startingPoint(
  model: Module,
  o: { resume?: Uint8Array | CheckpointStorage; seed?: number; arch?: string; optimizer: tf.Optimizer; scheduler?: LrScheduler },
  training: TrainingState,
  arch: string,
): Promise<StartingPoint> {
  const { seed, optimizer, scheduler } = o;
  const bytes = o.resume instanceof Uint8Array ? o.resume : o.resume ? await latestCheckpoint(o.resume) : undefined;
  if (!bytes) {
    if (seed !== undefined) manualSeed(seed);
    return { epoch: 0, step: 0, seed };
  }
  const saved = readCheckpointInfo(bytes);
  // a checkpoint of another model is that, whatever seed it was trained with: say so first
  if (o.arch !== undefined && saved.arch !== undefined && o.arch !== saved.arch) throw new ArchitectureMismatchError(o.arch, saved.arch);
  if (seed !== undefined && saved.seed !== undefined && seed !== saved.seed) {
    throw new CheckpointError(
      `fit was given seed ${seed} but the checkpoint was trained with seed ${saved.seed}; expected the same seed (or omit it)`,
    );
  }
  // before any weight is written: a resume with another schedule or per-step options would not be the same run
  restoreTraining(saved.training, training, scheduler, { dryRun: true });
  const info = await loadCheckpoint(bytes, model, optimizer, { arch });
  restoreTraining(info.training, training, scheduler);
  if (scheduler) setOptimizerLearningRate(optimizer, scheduler.lr);
  return { epoch: info.epoch, step: info.step, seed: info.seed };
}
