import * as tf from '@tensorflow/tfjs-core';
import { isReplayable } from '@logitlab/core';
import { forwardIsReplayable } from '../compile/replayable-forward';
import type { Module } from '@logitlab/layers';
import { AccumulatedStep } from '../compile/accumulated-step';
import { type CompiledStep, compileStep } from '../compile/compiled-step';
import { type StepLoss, Stepper, type StepOptions } from '../step';
import type { Batch, FitCompilation } from '../types';
import type { FitOptions } from './options';
import type { Schedule } from './schedule';

/** Where a step is: its epoch, its global step (0-based) and its batch within the epoch. */
export interface StepAt {
  epoch: number;
  step: number;
  batch: number;
}

/** What sums micro-batches' gradients and steps on their mean: the eager Stepper, or its compiled form. */
interface Accumulator {
  readonly pending: number;
  accumulate(batch: Batch, deferChecks: true): StepLoss;
  apply(): void;
  discard(): void;
}

/**
 * Stages "step" and "accumulation": each batch runs forward and backward (compiled or eager); once
 * `accumulateSteps` batches are summed, one optimiser step on their mean, then `afterStep`, then the
 * schedule. Without accumulation a compiled step is a whole optimiser step; with it, the micro-steps
 * and the optimiser step are compiled apart (AccumulatedStep). Losses come back with their data checks
 * unread: the loop reads both every `checkEvery` steps.
 */
export class Steps<M extends Module, O> {
  private readonly stepper: Accumulator;
  private readonly compiled: CompiledStep<M, O> | undefined;
  private readonly accumulateSteps: number;
  /** Why fit does not compile (undefined when it does). */
  private readonly eagerReason: string | undefined;

  constructor(
    private readonly model: M,
    private readonly options: FitOptions<M, O>,
    private readonly schedule: Schedule,
  ) {
    const { loss, forward, optimizer, trainable, gradClip, weightDecay } = options;
    const stepOptions: StepOptions<M, O> = { loss, forward, optimizer, trainable, gradClip, weightDecay };
    this.accumulateSteps = options.accumulateSteps ?? 1;
    this.eagerReason = notCompiledReason(model, stepOptions, options.compile ?? 'auto');
    const compile = this.eagerReason === undefined;
    this.stepper = compile && this.accumulateSteps > 1 ? new AccumulatedStep(model, stepOptions) : new Stepper(model, stepOptions);
    this.compiled = compile && this.accumulateSteps === 1 ? compileStep(model, stepOptions) : undefined;
  }

  /** How the steps ran so far. */
  get compilation(): FitCompilation {
    const { stepper, compiled, eagerReason } = this;
    const stats = compiled?.stats ?? (stepper instanceof AccumulatedStep ? stepper.stats : undefined);
    if (!stats) return { compiled: false, reason: eagerReason, eager: 0, traces: 0, replays: 0, fallbacks: [] };
    return { compiled: true, eager: stats.eager, traces: stats.traces, replays: stats.replays, fallbacks: [...stats.fallbacks] };
  }

  /** One batch; the optimiser steps when its group is complete. The caller disposes the loss and the checks. */
  run(batch: Batch, at: StepAt): StepLoss {
    const { compiled, stepper } = this;
    const out = compiled ? compiled.run(batch) : stepper.accumulate(batch, true);
    try {
      if (compiled) this.afterOptimizerStep(at);
      else if (stepper.pending >= this.accumulateSteps) this.optimizerStep(at);
    } catch (e) {
      tf.dispose([out.loss, ...out.checks.map((c) => c.values)]);
      throw e;
    }
    return out;
  }

  /** At an epoch's end: a last group shorter than accumulateSteps is stepped on its own mean. */
  finishEpoch(last: StepAt): void {
    if (this.stepper.pending > 0) this.optimizerStep(last);
  }

  /** Drops pending gradients (an aborted epoch). */
  discard(): void {
    this.stepper.discard();
  }

  dispose(): void {
    if (this.stepper instanceof AccumulatedStep) this.stepper.dispose();
    else this.stepper.discard();
    this.compiled?.dispose();
  }

  private optimizerStep(at: StepAt): void {
    this.stepper.apply();
    this.afterOptimizerStep(at);
  }

  private afterOptimizerStep(at: StepAt): void {
    const { afterStep } = this.options;
    if (afterStep) tf.tidy(() => afterStep(this.model, at));
    this.schedule.afterStep();
  }
}

/**
 * Why fit does not compile its steps, or undefined when it does: not with compile off, nor under 'auto' for
 * a loss, forward or module whose JavaScript a replay would skip (not marked `replayable`: it may count
 * calls or log).
 */
function notCompiledReason<M extends Module, O>(model: M, options: StepOptions<M, O>, compile: 'auto' | boolean): string | undefined {
  if (compile === false) return 'compile: false';
  if (compile === true) return undefined;
  if (!isReplayable(options.loss)) return "compile 'auto': the loss is not marked replayable";
  if (!forwardIsReplayable(model, options.forward as never))
    return `compile 'auto': ${options.forward ? 'the forward option is' : "a module's forward is"} not marked replayable`;
  return undefined;
}
