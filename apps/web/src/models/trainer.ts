import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import type { Batch } from '@logitlab/datasets';
import { exclusive } from '../app';
import { loaderFor } from './data';
import type { Recipe } from './recipes';

export interface StepRecord {
  step: number;
  loss: number;
  accuracy: number | null;
}

export type TrainState = 'idle' | 'running' | 'paused' | 'done' | 'failed';

export interface TrainerOptions {
  steps: number;
  onStep?: (r: StepRecord) => void;
  onState?: (s: TrainState, error?: Error) => void;
}

/**
 * A step-at-a-time training loop that yields to the browser between steps, so charts update, the
 * page stays responsive, and pause / resume / a backend switch can happen between any two steps.
 * (A library fit() runs its epochs to the end; the page needs a loop it can hold.)
 */
export class Trainer {
  state: TrainState = 'idle';
  readonly history: StepRecord[] = [];
  private readonly optimizer: tf.Optimizer;
  private iterator: Iterator<Batch> | null = null;
  private resumeWaiters: Array<() => void> = [];
  private stopRequested = false;

  constructor(
    readonly recipe: Recipe,
    readonly model: Module,
    private readonly opts: TrainerOptions,
  ) {
    this.optimizer = recipe.makeOptimizer();
  }

  async run(): Promise<StepRecord[]> {
    const loader = loaderFor(this.recipe.data, this.recipe.batchSize, 1);
    this.setState('running');
    try {
      for (let step = 1; step <= this.opts.steps && !this.stopRequested; step++) {
        if (this.state === 'paused') await new Promise<void>((r) => this.resumeWaiters.push(r));
        if (this.stopRequested) break;
        const batch = this.nextBatch(loader);
        const record = await exclusive(() => this.step(step, batch));
        this.history.push(record);
        this.opts.onStep?.(record);
        // Let the browser paint between steps.
        await new Promise((r) => setTimeout(r, 0));
      }
      this.setState('done');
    } catch (e) {
      this.setState('failed', e as Error);
      throw e;
    } finally {
      this.optimizer.dispose();
    }
    return this.history;
  }

  pause(): void {
    if (this.state === 'running') this.setState('paused');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.setState('running');
    for (const r of this.resumeWaiters.splice(0)) r();
  }

  stop(): void {
    this.stopRequested = true;
    this.resume();
  }

  private nextBatch(loader: Iterable<Batch>): Batch {
    this.iterator ??= loader[Symbol.iterator]();
    let next = this.iterator.next();
    if (next.done) {
      // Epoch over: iterating the loader again starts the next (reshuffled) epoch.
      this.iterator = loader[Symbol.iterator]();
      next = this.iterator.next();
    }
    return next.value as Batch;
  }

  private async step(step: number, { x, y }: Batch): Promise<StepRecord> {
    const { recipe, model } = this;
    try {
      model.train();
      const loss = this.optimizer.minimize(() => recipe.loss(model, x, y), true, model.parameters());
      recipe.afterStep?.(model);
      model.eval();
      const acc = recipe.accuracy ? tf.tidy(() => recipe.accuracy?.(model, x, y) as tf.Scalar) : null;
      const [lossValue] = loss ? await loss.data() : [NaN];
      const [accValue] = acc ? await acc.data() : [null];
      tf.dispose([loss, acc].filter((t): t is tf.Scalar => t !== null));
      if (!Number.isFinite(lossValue)) throw new Error(`loss became ${lossValue} at step ${step}`);
      return { step, loss: lossValue ?? NaN, accuracy: accValue ?? null };
    } finally {
      tf.dispose([x, y]);
    }
  }

  private setState(s: TrainState, error?: Error): void {
    this.state = s;
    this.opts.onState?.(s, error);
  }
}
