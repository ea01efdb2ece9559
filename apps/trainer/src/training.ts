import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { type Module, manualSeed } from '@logitlab/layers';
import { checkpointPath, loadCheckpoint, readCheckpointMeta, saveCheckpoint } from './checkpoint';
import type { ExperimentContext } from './experiments/types';

export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
}

/** A re-iterable source of batches whose shuffle depends only on the epoch (DataLoader.setEpoch). */
export interface EpochData {
  setEpoch(epoch: number): void;
  [Symbol.iterator](): Iterator<Batch>;
  readonly length: number;
}

export interface TrainSpec {
  /** Unique within the run: names the checkpoint file and the metrics lines. */
  tag: string;
  /** Architecture description; a checkpoint with another arch is refused on resume. */
  arch: string;
  model: Module;
  optimizer: tf.Optimizer;
  data: EpochData;
  epochs: number;
  loss: (output: tf.Tensor, target: tf.Tensor) => tf.Scalar;
  /** Replaces loss(model(x), y) when the objective needs more than the output (a VAE's mu and logVar). */
  objective?: (x: tf.Tensor, y: tf.Tensor) => tf.Scalar;
  /** Runs after every optimizer step (e.g. the sum-pool explainer's bias projection). */
  afterStep?: () => void;
  /** Read the running loss every N steps (a host round-trip), not every step. */
  logEvery?: number;
}

export interface EpochRecord {
  tag: string;
  epoch: number;
  loss: number;
}

export interface StepRecord {
  tag: string;
  epoch: number;
  /** Global step (1-based, across epochs). */
  step: number;
  /** Mean loss over the steps since the previous record. */
  loss: number;
}

export interface TrainResult {
  /** Mean training loss per epoch (including epochs restored from an earlier, interrupted run). */
  history: EpochRecord[];
  /** Loss every `logEvery` steps, for loss curves. */
  steps: StepRecord[];
  finalLoss: number;
  /** Epochs already done when this process started (0 on a fresh run). */
  resumedFromEpoch: number;
}

/**
 * Per-epoch seeding: epoch e of tag t always sees the same shuffle and dropout masks, so a run
 * resumed after a kill continues exactly as the uninterrupted run would have.
 */
export function epochSeed(seed: number, tag: string, epoch: number): number {
  let h = (seed * 2654435761) >>> 0;
  for (const c of `${tag}:${epoch}`) h = (Math.imul(h ^ c.charCodeAt(0), 16777619) + 0x9e3779b9) >>> 0;
  return h;
}

/**
 * Earlier losses of this tag from metrics.jsonl, up to the checkpointed epoch; lines a killed run
 * wrote after its last checkpoint are dropped (those steps run again). Latest line per key wins.
 */
function restoredHistory(ctx: ExperimentContext, tag: string, upToEpoch: number): { history: EpochRecord[]; steps: StepRecord[] } {
  const epochs = new Map<number, number>();
  const steps = new Map<number, StepRecord>();
  for (const r of ctx.run.readMetrics()) {
    if (r.tag !== tag || typeof r.epoch !== 'number' || r.epoch > upToEpoch) continue;
    const loss = Number(r.loss);
    if (r.kind === 'epoch') epochs.set(r.epoch, loss);
    if (r.kind === 'step' && typeof r.step === 'number') steps.set(r.step, { tag, epoch: r.epoch, step: r.step, loss });
  }
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
  const history = [...epochs.entries()].sort((a, b) => a[0] - b[0]).map(([epoch, loss]) => ({ tag, epoch, loss }));
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
  return { history, steps: [...steps.values()].sort((a, b) => a.step - b.step) };
}

/**
 * Trains one model for `epochs`, checkpointing after every epoch. With --resume the model and
 * optimizer are restored from the tag's checkpoint and training continues with the next epoch; a
 * tag whose checkpoint is complete is not trained again.
 */
export async function trainWithCheckpoints(ctx: ExperimentContext, spec: TrainSpec): Promise<TrainResult> {
  const { model, optimizer, data, epochs, tag } = spec;
  const file = checkpointPath(ctx.run.dir, tag);
  let start = 0;
  if (ctx.opts.resume && fs.existsSync(file)) {
    const meta = await loadCheckpoint(file, model, optimizer, spec.arch);
    start = Math.min(meta.epoch, epochs);
    ctx.log(`${tag}: resumed from checkpoint after epoch ${meta.epoch}/${meta.epochs}`);
  }
  const { history, steps: stepLog } = restoredHistory(ctx, tag, start);
  const logEvery = spec.logEvery ?? 20;
  const steps = data.length;
  const progress = ctx.progress();
  if (start < epochs) progress.start(epochs * steps, tag, start * steps);

  for (let epoch = start + 1; epoch <= epochs; epoch++) {
    manualSeed(epochSeed(ctx.seed, tag, epoch));
    data.setEpoch(epoch);
    model.train();
    // the running loss stays on the device and is read every `logEvery` steps, not every step
    let window: tf.Tensor = tf.scalar(0);
    let windowSteps = 0;
    let epochSum = 0;
    let step = 0;
    for (const batch of data) {
      const objective = spec.objective ?? ((x: tf.Tensor, y: tf.Tensor) => spec.loss(model.call(x), y));
      const cost = optimizer.minimize(() => tf.tidy(() => objective(batch.x, batch.y)), true, model.parameters());
      tf.dispose([batch.x, batch.y]);
      spec.afterStep?.();
      if (cost) {
        const next = tf.add(window, cost);
        tf.dispose([window, cost]);
        window = next;
      }
      step++;
      windowSteps++;
      if (windowSteps === logEvery || step === steps) {
        const mean = (await window.data())[0]! / windowSteps;
        window.dispose();
        window = tf.scalar(0);
        epochSum += mean * windowSteps;
        windowSteps = 0;
        const globalStep = (epoch - 1) * steps + step;
        stepLog.push({ tag, epoch, step: globalStep, loss: mean });
        ctx.run.logMetric({ kind: 'step', tag, epoch, step: globalStep, loss: mean });
        if (!Number.isFinite(mean)) ctx.log(`${tag}: loss became ${mean} at epoch ${epoch}, step ${step}`);
        progress.update(globalStep, `epoch ${epoch}/${epochs} loss ${mean.toPrecision(4)}`);
      }
    }
    window.dispose();
    const loss = step ? epochSum / step : NaN;
    history.push({ tag, epoch, loss });
    ctx.run.logMetric({ kind: 'epoch', tag, epoch, loss });
    await saveCheckpoint(file, model, optimizer, { tag, arch: spec.arch, epoch, epochs });
  }
  if (start < epochs) progress.stop(`loss ${history.at(-1)?.loss.toPrecision(4) ?? '?'}`);
  model.eval();
  return { history, steps: stepLog, finalLoss: history.at(-1)?.loss ?? NaN, resumedFromEpoch: start };
}

/** Whether a finished checkpoint exists for tag (used by summaries to say what was resumed). */
export function checkpointEpoch(runDir: string, tag: string): number {
  return readCheckpointMeta(checkpointPath(runDir, tag))?.epoch ?? 0;
}
