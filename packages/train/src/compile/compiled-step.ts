import * as tf from '@tensorflow/tfjs-core';
import { optimizerLearningRate, setOptimizerIterations } from '@logitlab/backends/compat';
import { firstFailedCheck } from '@logitlab/core';
import { forwardHookActive, type Module } from '@logitlab/layers';
import { type StepLoss, Stepper, type StepOptions } from '../step';
import type { Batch } from '../types';
import type { CompiledStepStats, CompileOptions } from './compile-options';
import { Fallbacks } from './fallbacks';
import { stepGuardKey, unsupportedReason } from './guards';
import { type CompiledPlan, PlanCache } from './plan-cache';
import { updateScalars } from './dry-trace';
import { traceTrainingStep } from './trace-training-step';

export type { CompiledStepStats, CompileOptions } from './compile-options';

/**
 * One optimiser step per call, like `trainStep`, recorded once at the kernel level and replayed
 * without tfjs's engine after that. The first call runs eagerly (optimizers make their slots on their
 * first step); the second traces a dry run with a sentinel learning rate, rolls it back, and replays
 * the plan for the real step. A plan is kept per guard key (backend, input shapes and dtypes, train or
 * eval mode, the parameter set); a key it has not seen traces again. A step that cannot be replayed
 * (a host read inside it, an optimizer without a compiled form) runs eagerly, and says why once.
 */
export class CompiledStep<M extends Module, O = tf.Tensor> {
  private readonly stepper: Stepper<M, O>;
  private readonly plans: PlanCache;
  private readonly fallbacks: Fallbacks;
  private warm = false;
  private readonly counts: CompiledStepStats;

  constructor(
    private readonly model: M,
    private readonly options: StepOptions<M, O>,
    private readonly compile: CompileOptions = {},
  ) {
    this.stepper = new Stepper(model, options);
    this.plans = new PlanCache(compile.maxPlans ?? 4);
    this.fallbacks = new Fallbacks('compiled step', compile.onFallback);
    const fallbacks = this.fallbacks.reasons;
    this.counts = { eager: 0, traces: 0, replays: 0, fallbacks, plan: undefined, replayMs: 0, kernelMs: 0 };
  }

  get stats(): Readonly<CompiledStepStats> {
    return this.counts;
  }

  /**
   * One optimiser step on `batch`; returns its loss (the caller disposes it and the batch). The loss's
   * deferred data checks (a target range) are read right after the step, one small read, and throw
   * their typed error then; a loop that reads losses later calls `run` instead.
   */
  step(batch: Batch): tf.Scalar {
    const { loss, checks } = this.run(batch);
    if (checks.length === 0) return loss;
    const values = checks.flatMap((c) => Array.from(c.values.dataSync()));
    tf.dispose(checks.map((c) => c.values));
    const failed = firstFailedCheck(checks, values);
    if (failed) {
      loss.dispose();
      throw failed;
    }
    return loss;
  }

  /** One optimiser step on `batch`; returns its loss and its loss's data checks unread (the caller reads and disposes them). */
  run(batch: Batch): StepLoss {
    const unsupported = unsupportedReason(this.options, forwardHookActive());
    if (unsupported) return this.eager(batch, unsupported);
    if (!this.warm) {
      this.warm = true;
      return this.eager(batch);
    }
    const key = stepGuardKey(this.model, batch);
    const found = this.plans.lookup(key, [batch.x, batch.y]);
    if ('replay' in found) return this.replay(found.replay, batch);
    if ('eager' in found) return this.eager(batch, found.eager, found.final);
    this.counts.traces++;
    const traced = traceTrainingStep(this.stepper, this.options, batch);
    const final = this.plans.settle(key, traced, found.trace);
    return typeof traced === 'string' ? this.eager(batch, traced, final) : this.replay(traced, batch);
  }

  /** An eager step; `reason` is recorded, and told once when `final` (a guard, or a key given up on). */
  private eager(batch: Batch, reason?: string, final = true): StepLoss {
    if (reason !== undefined) this.fallbacks.record(reason, final);
    this.counts.eager++;
    const out = this.stepper.accumulate(batch, true);
    try {
      this.stepper.apply();
    } catch (e) {
      tf.dispose([out.loss, ...out.checks.map((c) => c.values)]);
      throw e;
    }
    return out;
  }

  private replay({ plan, verdicts }: CompiledPlan, batch: Batch): StepLoss {
    const { optimizer } = this.options;
    const profile = this.compile.profile === true;
    plan.profile = profile;
    const t0 = profile ? performance.now() : 0;
    const kernelMs = plan.kernelMs;
    const [loss, ...values] = plan.replay([batch.x, batch.y], updateScalars(optimizerLearningRate(optimizer), this.options.weightDecay));
    if (profile) {
      this.counts.replayMs += performance.now() - t0;
      this.counts.kernelMs += plan.kernelMs - kernelMs;
    }
    setOptimizerIterations(optimizer, optimizer.iterations + 1);
    this.counts.replays++;
    this.counts.plan = plan.stats;
    return { loss: loss as tf.Scalar, checks: values.map((v, i) => ({ values: v, verdict: verdicts[i]! })) };
  }

  /** Drops pending gradients of an eager step and frees every plan. */
  dispose(): void {
    this.stepper.discard();
    this.plans.clear();
  }
}

/** `trainStep`, compiled: see CompiledStep. */
export function compileStep<M extends Module, O = tf.Tensor>(
  model: M,
  options: StepOptions<M, O>,
  compile?: CompileOptions,
): CompiledStep<M, O> {
  return new CompiledStep(model, options, compile);
}
