import * as tf from '@tensorflow/tfjs-core';
import {
  optimizerLearningRate,
  type PlanStats,
  type RuntimeScalar,
  setOptimizerIterations,
  setOptimizerLearningRate,
  traceStep,
} from '@logitlab/backends/compat';
import { firstFailedCheck } from '@logitlab/core';
import { forwardHookActive, getRngState, type Module, setRngState } from '@logitlab/layers';
import { type StepLoss, Stepper, type StepOptions } from '../step';
import type { Batch } from '../types';
import { type CompiledPlan, PlanCache } from './plan-cache';
import { stepGuardKey, unsupportedReason } from './guards';

/** Traces of one guard key that found no plan before its steps stay eager. */
const MAX_TRACES = 3;

/** A learning rate no step constant equals: the dry-run trace finds every scalar made from it. */
const TRACE_LR = 0.000987654321;

export interface CompileOptions {
  /** Plans kept at once, one per guard key (input shapes, mode, backend); the least recently used goes. Default 4. */
  maxPlans?: number;
  /** Told once per reason why a step runs eagerly (default: console.warn with the reason). */
  onFallback?: (reason: string) => void;
  /** Time replays and the kernel calls inside them (`stats.replayMs`, `stats.kernelMs`); costs a clock read per kernel. */
  profile?: boolean;
}

/** What the compiled step did so far, and the plan it replayed last. */
export interface CompiledStepStats {
  eager: number;
  traces: number;
  replays: number;
  /** Every distinct reason a step ran eagerly, in order. */
  fallbacks: string[];
  plan: PlanStats | undefined;
  /** With `profile`: milliseconds in replays, and in the kernel functions they called (the rest is the replay's own work). */
  replayMs: number;
  kernelMs: number;
}

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
  private readonly told = new Set<string>();
  private warm = false;
  private readonly counts: CompiledStepStats = {
    eager: 0,
    traces: 0,
    replays: 0,
    fallbacks: [],
    plan: undefined,
    replayMs: 0,
    kernelMs: 0,
  };

  constructor(
    private readonly model: M,
    private readonly options: StepOptions<M, O>,
    private readonly compile: CompileOptions = {},
  ) {
    this.stepper = new Stepper(model, options);
    this.plans = new PlanCache(compile.maxPlans ?? 4);
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
    const cached = this.plans.get(key);
    let tries = 0;
    if (cached && 'reason' in cached) {
      if (cached.tries >= MAX_TRACES || --cached.wait > 0) return this.eager(batch, cached.reason, cached.tries >= MAX_TRACES);
      tries = cached.tries;
    } else if (cached && cached.plan.mismatch([batch.x, batch.y]) === undefined) return this.replay(cached, batch);
    const traced = this.trace(batch);
    if (typeof traced !== 'string') {
      this.plans.set(key, traced);
      return this.replay(traced, batch);
    }
    // a host read may be a check that stops after a few calls (losses' pitfall checks): try again later,
    // and tell the reason once the key gives up
    this.plans.set(key, { reason: traced, tries: tries + 1, wait: 2 ** (tries + 1) });
    return this.eager(batch, traced, tries + 1 >= MAX_TRACES);
  }

  /** An eager step; `reason` is recorded, and told once when `final` (a guard, or a key given up on). */
  private eager(batch: Batch, reason?: string, final = true): StepLoss {
    if (reason !== undefined && !this.counts.fallbacks.includes(reason)) this.counts.fallbacks.push(reason);
    if (reason !== undefined && final && !this.told.has(reason)) {
      this.told.add(reason);
      (this.compile.onFallback ?? ((r: string) => console.warn(`compiled step: runs eagerly: ${r}`)))(reason);
    }
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

  private scalars(lr: number): Record<string, number> {
    const decay = this.options.weightDecay;
    const values: Record<string, number> = { lr, negLr: -lr };
    if (decay?.mode === 'decoupled' && decay.value > 0) values['shrink'] = 1 - lr * decay.value;
    return values;
  }

  /** A dry run with the sentinel learning rate, rolled back: the plan, or why there is none. */
  private trace(batch: Batch): CompiledPlan | string {
    this.counts.traces++;
    const { optimizer } = this.options;
    const lr = optimizerLearningRate(optimizer);
    const iterations = optimizer.iterations;
    const rng = getRngState();
    const scalars: RuntimeScalar[] = Object.entries(this.scalars(TRACE_LR)).map(([name, traced]) => ({
      name,
      traced,
      optional: name !== 'shrink',
    }));
    let drawn: number;
    let result;
    const verdicts: CompiledPlan['verdicts'] = [];
    try {
      result = traceStep(
        () => {
          // inside the recording: SGD keeps -lr in a tensor it makes here, which becomes the runtime scalar
          setOptimizerLearningRate(optimizer, TRACE_LR);
          const { loss, checks } = this.stepper.accumulate(batch, true);
          this.stepper.apply();
          // the checks' values are outputs after the loss: every replay computes them anew, judged by these verdicts
          verdicts.push(...checks.map((c) => c.verdict));
          return [loss, ...checks.map((c) => c.values)];
        },
        { inputs: [batch.x, batch.y], scalars, rollback: true },
      );
    } finally {
      this.stepper.discard();
      drawn = getRngState();
      setRngState(rng);
      setOptimizerLearningRate(optimizer, lr);
      setOptimizerIterations(optimizer, iterations);
    }
    tf.dispose(result.outputs);
    if (!result.plan) return result.reason;
    const plan = result.plan;
    let why: string | undefined;
    if (!plan.stats.scalars.includes('lr') && !plan.stats.scalars.includes('negLr'))
      why = `the learning rate of ${optimizer.getClassName()} was not found in the step`;
    else {
      // every draw from the generator must be a host draw the plan repeats, or a replay would reuse this one's numbers
      plan.redraw();
      if (getRngState() !== drawn) why = 'the step draws from the generator outside an announced host draw';
      setRngState(rng);
    }
    if (why !== undefined) {
      plan.dispose();
      return why;
    }
    return { plan, verdicts };
  }

  private replay({ plan, verdicts }: CompiledPlan, batch: Batch): StepLoss {
    const { optimizer } = this.options;
    const profile = this.compile.profile === true;
    plan.profile = profile;
    const t0 = profile ? performance.now() : 0;
    const kernelMs = plan.kernelMs;
    const [loss, ...values] = plan.replay([batch.x, batch.y], this.scalars(optimizerLearningRate(optimizer)));
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
