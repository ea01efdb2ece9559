import * as tf from '@tensorflow/tfjs-core';
import { optimizerLearningRate, setOptimizerLearningRate } from '@logitlab/backends/compat';
import { manualSeed, type Module } from '@logitlab/layers';
import { latestCheckpoint, loadCheckpoint, readCheckpointInfo } from './checkpoint';
import { ArchitectureMismatchError, CheckpointError, TrainError } from './errors';
import { evaluate } from './evaluate';
import { LossReader } from './loss-reader';
import type { PauseController } from './pause';
import type { LrScheduler } from './schedulers';
import { checkStepOptions, type GradClip, type StepLoss, Stepper, type WeightDecay } from './step';
import { type CompiledStep, compileStep } from './compile/compiled-step';
import type { CheckpointStorage } from './storage';
import { describeTraining, restoreTraining, type TrainingState } from './training-state';
import { emptyEpochError, validateFitOptions } from './validate-options';
import type {
  BatchMetric,
  BatchSource,
  Callback,
  EpochLogs,
  FitResult,
  ForwardFn,
  LossFn,
  StepRecord,
  StopReason,
  TrainContext,
} from './types';

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
   * (`compileStep`): the same run, bit for bit on cpu. `true` and `'auto'` compile wherever the guards
   * allow and run other steps eagerly, telling the reason once; `accumulateSteps` > 1 is not compiled
   * yet. Default false.
   */
  compile?: 'auto' | boolean;
}

/**
 * Trains `model`: per epoch train mode, one optimiser step per batch (each inside tf.tidy, batches
 * disposed), losses read every `checkEvery` steps, optional validation in eval mode, callbacks.
 * The model's mode before the call is restored on return.
 */
export async function fit<M extends Module, O = tf.Tensor>(model: M, options: FitOptions<M, O>): Promise<FitResult> {
  validateFitOptions(options);
  const { optimizer, data, epochs, loss, afterStep, checkEvery = 20, callbacks = [], signal, pause, scheduler } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new TrainError(`epochs must be a non-negative integer; got ${epochs}`);
  if (!Number.isInteger(checkEvery) || checkEvery < 1) throw new TrainError(`checkEvery must be a positive integer; got ${checkEvery}`);
  checkStepOptions(options);
  const accumulateSteps = options.accumulateSteps ?? 1;
  const stepper = new Stepper(model, {
    loss,
    forward: options.forward,
    optimizer,
    trainable: options.trainable,
    gradClip: options.gradClip,
    weightDecay: options.weightDecay,
  });
  const compiled = chooseCompiledStep(model, options, accumulateSteps);
  const forward = options.forward ?? ((m: M, b: { x: tf.Tensor }) => m.call(b.x) as O);
  const training: TrainingState = describeTraining({ ...options, accumulateSteps });
  const arch = options.arch ?? model.toString();

  let initialEpoch = 0;
  let step = 0;
  let seed = options.seed;
  const resumeBytes =
    options.resume instanceof Uint8Array ? options.resume : options.resume ? await latestCheckpoint(options.resume) : undefined;
  if (scheduler) setOptimizerLearningRate(optimizer, scheduler.init(optimizerLearningRate(optimizer)));
  if (resumeBytes) {
    const saved = readCheckpointInfo(resumeBytes);
    // a checkpoint of another model is that, whatever seed it was trained with: say so first
    if (options.arch !== undefined && saved.arch !== undefined && options.arch !== saved.arch)
      throw new ArchitectureMismatchError(options.arch, saved.arch);
    if (seed !== undefined && saved.seed !== undefined && seed !== saved.seed) {
      throw new CheckpointError(
        `fit was given seed ${seed} but the checkpoint was trained with seed ${saved.seed}; expected the same seed (or omit it)`,
      );
    }
    // before any weight is written: a resume with another schedule or per-step options would not be the same run
    restoreTraining(saved.training, training, scheduler, { dryRun: true });
    const info = await loadCheckpoint(resumeBytes, model, optimizer, { arch });
    restoreTraining(info.training, training, scheduler);
    if (scheduler) setOptimizerLearningRate(optimizer, scheduler.lr);
    initialEpoch = info.epoch;
    step = info.step;
    seed = info.seed;
  } else if (seed !== undefined) {
    manualSeed(seed);
  }

  let stopReason: StopReason | undefined;
  let stopMessage: string | undefined;
  const ctx: TrainContext<M> = {
    model,
    optimizer,
    epoch: initialEpoch,
    initialEpoch,
    epochs,
    step,
    stepsPerEpoch: typeof data.length === 'number' ? data.length : undefined,
    seed,
    arch,
    training,
    scheduler,
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
  };
  const emit = async <K extends keyof Callback<M>>(hook: K, ...args: unknown[]) => {
    for (const cb of callbacks) {
      const fn = cb[hook] as ((...a: unknown[]) => void | Promise<void>) | undefined;
      if (fn) await fn.call(cb, ctx, ...args);
    }
  };
  /** True when training must end now (checked at every step boundary, after any pause). */
  const aborted = async () => {
    if (pause?.paused && !signal?.aborted) await pause.wait(signal);
    if (signal?.aborted && stopReason === undefined) ctx.stop('aborted by the signal', 'aborted');
    return stopReason === 'aborted';
  };

  const wasTraining = model.training;
  const reader = new LossReader();
  const history: EpochLogs[] = [];
  const losses: number[] = [];
  const readLosses = async (into: StepRecord[]) => {
    const records = await reader.flush();
    if (!records.length) return;
    into.push(...records);
    for (const r of records) losses.push(r.loss);
    await emit('onLosses', records);
  };
  const optimizerStep = (epoch: number, batchIndex: number) => {
    stepper.apply();
    if (afterStep) tf.tidy(() => afterStep(model, { epoch, step: step - 1, batch: batchIndex }));
    if (scheduler?.interval === 'step') setOptimizerLearningRate(optimizer, scheduler.step());
  };

  try {
    await emit('onTrainBegin');
    for (let epoch = initialEpoch; epoch < epochs && ctx.stopReason === undefined && !(await aborted()); epoch++) {
      const started = Date.now();
      ctx.epoch = epoch;
      model.train();
      data.setEpoch?.(epoch);
      await emit('onEpochBegin');
      const records: StepRecord[] = [];
      let batchIndex = 0;
      for await (const batch of data) {
        if (await aborted()) {
          tf.dispose([batch.x, batch.y]);
          break;
        }
        const size = batch.x.shape[0] ?? 1;
        let cost: StepLoss | undefined;
        try {
          // a compiled step is a whole optimiser step; fit's own stepper then has nothing pending to apply.
          // The loss's data checks are read with the losses (no host read inside the step)
          cost = compiled ? compiled.run(batch) : stepper.accumulate(batch, true);
          step++;
          if (compiled || stepper.pending >= accumulateSteps) optimizerStep(epoch, batchIndex);
        } catch (e) {
          if (cost) tf.dispose([cost.loss, ...cost.checks.map((c) => c.values)]);
          throw e;
        } finally {
          tf.dispose([batch.x, batch.y]);
        }
        reader.push(cost.loss, { epoch, step: step - 1, batch: batchIndex, size }, cost.checks);
        batchIndex++;
        ctx.step = step;
        if (reader.size >= checkEvery) await readLosses(records);
        await emit('onBatchEnd', { batch: batchIndex - 1, size });
      }
      if (stopReason === 'aborted') {
        stepper.discard();
        await readLosses(records);
        break;
      }
      if (batchIndex === 0) throw emptyEpochError(epoch, data.length);
      // a last group shorter than accumulateSteps is stepped on its own mean
      if (stepper.pending > 0) optimizerStep(epoch, batchIndex - 1);
      await readLosses(records);
      const n = records.reduce((a, r) => a + r.size, 0);
      const logs: EpochLogs = {
        epoch,
        steps: step,
        loss: n ? records.reduce((a, r) => a + r.loss * r.size, 0) / n : Number.NaN,
        seconds: 0,
      };
      const v = options.validation;
      if (v && ((epoch + 1 - initialEpoch) % (v.every ?? 1) === 0 || epoch === epochs - 1)) {
        const metrics: Record<string, BatchMetric<O>> = { loss, ...v.metrics };
        const res = await evaluate(model, v.data, metrics, { forward });
        model.train();
        if (res.count === 0) throw emptyEpochError(epoch, v.data.length, 'validation.data');
        for (const [k, value] of Object.entries(res.metrics)) logs[`val_${k}`] = value;
      }
      if (scheduler) {
        logs['lr'] = optimizerLearningRate(optimizer);
        if (scheduler.interval === 'epoch')
          setOptimizerLearningRate(
            optimizer,
            scheduler.step(scheduler.monitor === undefined ? undefined : monitored(logs, scheduler.monitor)),
          );
      }
      logs.seconds = (Date.now() - started) / 1000;
      history.push(logs);
      await emit('onEpochEnd', logs);
    }
    const result: FitResult = {
      history,
      losses,
      epochs: initialEpoch + history.length,
      steps: step,
      stopReason: stopReason ?? 'completed',
    };
    if (stopMessage !== undefined) result.stopMessage = stopMessage;
    await emit('onTrainEnd', result);
    return result;
  } finally {
    stepper.discard();
    compiled?.dispose();
    reader.dispose();
    model.train(wasTraining);
  }
}

/** The compiled step fit uses, or undefined for eager steps (compile off, or accumulation, which has no compiled form yet). */
function chooseCompiledStep<M extends Module, O>(
  model: M,
  options: FitOptions<M, O>,
  accumulateSteps: number,
): CompiledStep<M, O> | undefined {
  const { compile = false } = options;
  if (compile === false) return undefined;
  if (accumulateSteps > 1) {
    console.warn(`fit: compile: runs eagerly: accumulateSteps ${accumulateSteps} has no compiled form yet`);
    return undefined;
  }
  const { loss, forward, optimizer, trainable, gradClip, weightDecay } = options;
  return compileStep(model, { loss, forward, optimizer, trainable, gradClip, weightDecay });
}

function monitored(logs: EpochLogs, key: string): number {
  const value = logs[key];
  if (value === undefined)
    throw new TrainError(
      `the scheduler monitors "${key}" but the epoch logs have [${Object.keys(logs).join(', ')}]; add validation or pick one of those`,
    );
  return value;
}
