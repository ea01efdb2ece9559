import * as tf from '@tensorflow/tfjs-core';
import { optimizerLearningRate, setOptimizerIterations } from '@logitlab/backends/compat';
import { collectChecks } from '@logitlab/core';
import { forwardHookActive, type Module } from '@logitlab/layers';
import { type StepLoss, Stepper, type StepOptions } from '../step';
import type { Batch } from '../types';
import type { CompileOptions, CompiledStepStats } from './compiled-step';
import { dryTrace, type TracedPart, updateScalars } from './dry-trace';
import { stepGuardKey, unsupportedReason } from './guards';
import { type CompiledPlan, PlanCache } from './plan-cache';

/** Traces of one key that found no plan before its parts stay eager. */
const MAX_TRACES = 3;

/**
 * Gradient accumulation (`fit({ accumulateSteps })`), compiled: two kinds of plan instead of one.
 * A micro-step (forward, loss, backward, its gradients added into one buffer variable per trainable)
 * and an apply step (the mean, clipping, weight decay, the optimiser update, read from the buffers).
 * A micro-step that starts a group writes its gradients into the buffers instead of adding, as the
 * eager Stepper starts a new sum, so both are one run, bit for bit on cpu. The loop calls it as it
 * calls a Stepper: `accumulate` per batch, `apply` once a group is complete.
 *
 * Each part is traced in a dry run once the optimiser has made its slots (the first group is
 * eager), kept per guard key, and run eagerly, saying why once, when it cannot be replayed.
 */
export class AccumulatedStep<M extends Module, O = tf.Tensor> {
  private readonly stepper: Stepper<M, O>;
  private readonly vars: tf.Variable[];
  private readonly buffers: tf.Variable[];
  /** Which buffers hold this group's sum so far (a gradient the loss did not reach is absent, as in Stepper). */
  private present: boolean[];
  private count = 0;
  private warm = false;
  private readonly plans: PlanCache;
  private readonly reached = new Map<string, boolean[]>();
  private readonly told = new Set<string>();
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
    this.vars = options.trainable ?? model.parameters();
    // made here, before any trace: a variable made inside a step is not replayable
    this.buffers = this.vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
    this.present = this.vars.map(() => false);
    // a micro-step plan and an apply plan per key
    this.plans = new PlanCache(2 * (compile.maxPlans ?? 4));
  }

  get stats(): Readonly<CompiledStepStats> {
    return this.counts;
  }

  /** Micro-batches whose gradients wait for `apply`. */
  get pending(): number {
    return this.count;
  }

  /** One batch forward and backward, its gradients added to the group's; its loss and data checks unread (the caller disposes them). */
  accumulate(batch: Batch): StepLoss {
    const present = this.present;
    const key = `micro|${present.map((p) => (p ? 1 : 0)).join('')}|${stepGuardKey(this.model, batch)}`;
    const out = this.runPart(key, [batch.x, batch.y], () => this.micro(key, batch, present), false);
    // which gradients the loss reached is the model's structure: recorded whenever the part ran in JavaScript
    const reached = this.reached.get(key) ?? [];
    this.present = present.map((p, i) => p || reached[i] === true);
    this.count++;
    return { loss: out.outputs[0] as tf.Scalar, checks: out.checks };
  }

  /** One optimiser step on the mean of the group's gradients (no-op when none are pending). */
  apply(): void {
    if (this.count === 0) return;
    const n = this.count;
    const sum = this.buffers.map((b, i) => (this.present[i] ? b : undefined));
    const key = `apply ${n}|${this.present.map((p) => (p ? 1 : 0)).join('')}|${tf.getBackend()}|${this.vars.map((v) => v.id).join(',')}`;
    try {
      const part = () => (this.stepper.applySum(sum, n), { outputs: [], checks: [] });
      this.runPart(key, [], part, true);
    } finally {
      this.warm = true;
      this.discard();
    }
  }

  /** Drops the group's pending gradients (an aborted or failed run): the next micro-step starts a new sum. */
  discard(): void {
    this.present = this.vars.map(() => false);
    this.count = 0;
  }

  dispose(): void {
    this.discard();
    this.plans.clear();
    tf.dispose(this.buffers);
  }

  /** The micro-step's work: loss and gradients, each written (a group's first) or added into its buffer. */
  private micro(key: string, batch: Batch, present: readonly boolean[]): TracedPart {
    const reached: boolean[] = [];
    const { result, checks } = collectChecks(() =>
      tf.tidy(() => {
        const { loss, grads } = this.stepper.lossAndGradients(batch);
        grads.forEach((g, i) => {
          reached.push(g !== undefined);
          const buffer = this.buffers[i] as tf.Variable;
          if (g) buffer.assign(present[i] ? tf.add(buffer, g) : g);
        });
        return loss;
      }),
    );
    this.reached.set(key, reached);
    return { outputs: [result], checks };
  }

  /** Runs one part: replayed from its plan, traced into one, or eagerly (saying why once). `update`: it updates parameters. */
  private runPart(key: string, inputs: tf.Tensor[], part: () => TracedPart, update: boolean): TracedPart {
    const unsupported = unsupportedReason(this.options, forwardHookActive());
    if (unsupported) return this.eager(part, unsupported);
    if (!this.warm) return this.eager(part);
    const cached = this.plans.get(key);
    let tries = 0;
    if (cached && 'reason' in cached) {
      if (cached.tries >= MAX_TRACES || --cached.wait > 0) return this.eager(part, cached.reason, cached.tries >= MAX_TRACES);
      tries = cached.tries;
    } else if (cached && cached.plan.mismatch(inputs) === undefined) return this.replay(cached, inputs, update);
    this.counts.traces++;
    const traced = dryTrace(part, inputs, this.options.optimizer, update ? { decay: this.options.weightDecay } : undefined);
    if (typeof traced !== 'string') {
      this.plans.set(key, traced);
      return this.replay(traced, inputs, update);
    }
    // a host read may be a check that stops after a few calls (losses' pitfall checks): try again later
    this.plans.set(key, { reason: traced, tries: tries + 1, wait: 2 ** (tries + 1) });
    return this.eager(part, traced, tries + 1 >= MAX_TRACES);
  }

  private eager(part: () => TracedPart, reason?: string, final = true): TracedPart {
    if (reason !== undefined && !this.counts.fallbacks.includes(reason)) this.counts.fallbacks.push(reason);
    if (reason !== undefined && final && !this.told.has(reason)) {
      this.told.add(reason);
      (this.compile.onFallback ?? ((r: string) => console.warn(`compiled step: runs eagerly: ${r}`)))(reason);
    }
    this.counts.eager++;
    return part();
  }

  private replay({ plan, verdicts }: CompiledPlan, inputs: tf.Tensor[], update: boolean): TracedPart {
    const { optimizer, weightDecay } = this.options;
    const outs = plan.replay(inputs, update ? updateScalars(optimizerLearningRate(optimizer), weightDecay) : {});
    if (update) setOptimizerIterations(optimizer, optimizer.iterations + 1);
    this.counts.replays++;
    this.counts.plan = plan.stats;
    const n = outs.length - verdicts.length;
    return { outputs: outs.slice(0, n), checks: outs.slice(n).map((v, i) => ({ values: v, verdict: verdicts[i]! })) };
  }
}
