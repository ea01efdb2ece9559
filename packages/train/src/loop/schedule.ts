import type * as tf from '@tensorflow/tfjs-core';
import { optimizerLearningRate, setOptimizerLearningRate } from '@logitlab/backends/compat';
import { TrainError } from '../errors';
import type { LrScheduler } from '../schedulers';
import type { EpochLogs } from '../types';

/**
 * Stage "schedule": the scheduler sets the optimiser's learning rate at the start (before a resume
 * restores its position), after every optimiser step (per-step schedules) and at each epoch's end, after
 * validation (per-epoch schedules, `reduceLROnPlateau`'s monitor read from the epoch's logs).
 */
export class Schedule {
  constructor(
    private readonly optimizer: tf.Optimizer,
    private readonly scheduler: LrScheduler | undefined,
  ) {
    if (scheduler) setOptimizerLearningRate(optimizer, scheduler.init(optimizerLearningRate(optimizer)));
  }

  afterStep(): void {
    if (this.scheduler?.interval === 'step') setOptimizerLearningRate(this.optimizer, this.scheduler.step());
  }

  /** Logs the epoch's learning rate as `lr`, then steps a per-epoch schedule. */
  afterEpoch(logs: EpochLogs): void {
    const { scheduler, optimizer } = this;
    if (!scheduler) return;
    logs['lr'] = optimizerLearningRate(optimizer);
    if (scheduler.interval !== 'epoch') return;
    setOptimizerLearningRate(optimizer, scheduler.step(scheduler.monitor === undefined ? undefined : monitored(logs, scheduler.monitor)));
  }
}

function monitored(logs: EpochLogs, key: string): number {
  const value = logs[key];
  if (value === undefined)
    throw new TrainError(
      `the scheduler monitors "${key}" but the epoch logs have [${Object.keys(logs).join(', ')}]; add validation or pick one of those`,
    );
  return value;
}
