import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { TrainError } from './errors';
import { LossReader } from './loss-reader';
import { checkStepOptions } from './step';
import { describeTraining, type TrainingState } from './training-state';
import { emptyEpochError, validateFitOptions } from './validate-options';
import type { EpochLogs, FitResult, StepRecord } from './types';
import { createRun } from './loop/context';
import { runEpoch } from './loop/epoch';
import type { FitOptions } from './loop/options';
import { startingPoint } from './loop/resume';
import { Schedule } from './loop/schedule';
import { Steps } from './loop/stepping';
import { validateEpoch, validationPlans } from './loop/validation';

export type { FitOptions, ValidationOptions } from './loop/options';

/**
 * Trains `model`: per epoch train mode, one optimiser step per batch (each inside tf.tidy, batches
 * disposed), losses read every `checkEvery` steps, optional validation in eval mode, callbacks.
 * The model's mode before the call is restored on return.
 *
 * fit is its stages, in this order. Once: options checked, the schedule's start, resume (or the seed),
 * `onTrainBegin`. Per epoch: pause/abort, train mode, `data.setEpoch`, `onEpochBegin`, the epoch's batches
 * (loop/epoch.ts: pause/abort, step, accumulation, `afterStep`, per-step schedule, loss reads,
 * `onBatchEnd`), the epoch's logs, validation, the per-epoch schedule, `onEpochEnd` (where the checkpoint
 * callback writes). Once at the end: `onTrainEnd`.
 */
export async function fit<M extends Module, O = tf.Tensor>(model: M, options: FitOptions<M, O>): Promise<FitResult> {
  validateFitOptions(options);
  const { data, epochs, checkEvery = 20 } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new TrainError(`epochs must be a non-negative integer; got ${epochs}`);
  if (!Number.isInteger(checkEvery) || checkEvery < 1) throw new TrainError(`checkEvery must be a positive integer; got ${checkEvery}`);
  checkStepOptions(options);
  const schedule = new Schedule(options.optimizer, options.scheduler);
  const steps = new Steps(model, options, schedule);
  const training: TrainingState = describeTraining({ ...options, accumulateSteps: options.accumulateSteps ?? 1 });
  const arch = options.arch ?? model.toString();
  const wasTraining = model.training;
  const reader = new LossReader();
  const validation = validationPlans(model, options.validation, options);
  try {
    const start = await startingPoint(model, options, training, arch);
    const run = createRun(model, options, start, training, arch, () => steps.compilation);
    const { ctx } = run;
    const history: EpochLogs[] = [];
    const losses: number[] = [];
    const readLosses = async (into: StepRecord[]) => {
      const records = await reader.flush();
      if (!records.length) return;
      into.push(...records);
      for (const r of records) losses.push(r.loss);
      await run.emit('onLosses', records);
    };

    await run.emit('onTrainBegin');
    for (let epoch = start.epoch; epoch < epochs && ctx.stopReason === undefined && !(await run.aborted()); epoch++) {
      const started = Date.now();
      ctx.epoch = epoch;
      model.train();
      data.setEpoch?.(epoch);
      await run.emit('onEpochBegin');
      const pass = await runEpoch(run, steps, reader, data, checkEvery, readLosses);
      if (pass.aborted) break;
      if (pass.batches === 0) throw emptyEpochError(epoch, data.length);
      const n = pass.records.reduce((a, r) => a + r.size, 0);
      const logs: EpochLogs = {
        epoch,
        steps: ctx.step,
        loss: n ? pass.records.reduce((a, r) => a + r.loss * r.size, 0) / n : Number.NaN,
        seconds: 0,
      };
      await validateEpoch(model, options.validation, options, { epoch, initialEpoch: start.epoch, epochs }, logs, validation);
      schedule.afterEpoch(logs);
      logs.seconds = (Date.now() - started) / 1000;
      history.push(logs);
      await run.emit('onEpochEnd', logs);
    }
    const result: FitResult = {
      history,
      losses,
      epochs: start.epoch + history.length,
      steps: ctx.step,
      stopReason: ctx.stopReason ?? 'completed',
      compilation: steps.compilation,
    };
    if (run.stopMessage !== undefined) result.stopMessage = run.stopMessage;
    await run.emit('onTrainEnd', result);
    return result;
  } finally {
    steps.dispose();
    reader.dispose();
    validation?.dispose();
    model.train(wasTraining);
  }
}
