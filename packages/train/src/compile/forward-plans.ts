import * as tf from '@tensorflow/tfjs-core';
import { type PlanStats, traceStep } from '@logitlab/backends/compat';
import { type CheckVerdict, collectChecks, type DeferredCheck } from '@logitlab/core';
import { forwardHookActive, getRngState, type Module, setRngState } from '@logitlab/layers';
import { Fallbacks } from './fallbacks';
import { guardKey } from './guards';
import { type CompiledPlan, PlanCache } from './plan-cache';

export interface ForwardCompileOptions {
  /** Plans kept at once, one per guard key (input shapes and dtypes, mode, backend, parameter set); the least recently used goes. Default 4. */
  maxPlans?: number;
  /** Told once per reason why a call runs eagerly (default: console.warn with the reason). */
  onFallback?: (reason: string) => void;
}

/** What a compiled forward did so far, and the plan it replayed last. */
export interface CompiledForwardStats {
  eager: number;
  traces: number;
  replays: number;
  /** Every distinct reason a call ran eagerly, in order. */
  fallbacks: string[];
  plan: PlanStats | undefined;
}

/** A call's results (the caller owns them) and the data checks it deferred, their values unread. */
export interface ForwardOutputs {
  outputs: tf.Tensor[];
  checks: DeferredCheck[];
}

/**
 * Forward-only calls (`fn` reads `inputs` and the model's variables, assigns nothing), recorded once per
 * guard key and replayed without tfjs's engine after that. A forward changes no state, so the traced call
 * is the real one: its outputs are returned as they are and the next call with the same key replays.
 * Data checks a loss defers inside `fn` become outputs after fn's own, judged by their verdicts. A call
 * the tracer cannot record (a host read, a data-dependent shape) runs eagerly, and says why once.
 */
export class ForwardPlans {
  private readonly plans: PlanCache;
  private readonly fallbacks: Fallbacks;
  private readonly counts: CompiledForwardStats;

  constructor(
    private readonly model: Module,
    label: string,
    options: ForwardCompileOptions = {},
  ) {
    this.plans = new PlanCache(options.maxPlans ?? 4);
    this.fallbacks = new Fallbacks(label, options.onFallback);
    this.counts = { eager: 0, traces: 0, replays: 0, fallbacks: this.fallbacks.reasons, plan: undefined };
  }

  get stats(): Readonly<CompiledForwardStats> {
    return this.counts;
  }

  /**
   * `fn()`, compiled where it can be. `refuse`, asked after a trace, names a reason its plan must not be
   * replayed (JavaScript of the caller's that a replay would skip).
   */
  run(inputs: readonly tf.Tensor[], fn: () => tf.Tensor[], refuse?: () => string | undefined): ForwardOutputs {
    // a hook is JavaScript the replay would skip
    if (forwardHookActive()) return this.eager(fn, 'a forward hook is active', true);
    const key = guardKey(this.model, inputs);
    const found = this.plans.lookup(key, inputs);
    if ('replay' in found) return this.replay(found.replay, inputs);
    if ('eager' in found) return this.eager(fn, found.eager, found.final);
    this.counts.traces++;
    const rng = getRngState();
    const verdicts: CheckVerdict[] = [];
    let count = 0;
    const traced = traceStep(
      () => {
        const { result, checks } = collectChecks(() => tf.tidy(fn));
        count = result.length;
        verdicts.push(...checks.map((c) => c.verdict));
        return [...result, ...checks.map((c) => c.values)];
      },
      { inputs },
    );
    const outputs = traced.outputs.slice(0, count);
    const checks = traced.outputs.slice(count).map((values, i) => ({ values, verdict: verdicts[i]! }));
    let why = traced.reason ?? refuse?.();
    if (traced.plan && why === undefined) {
      // every draw from the generator must be a host draw the plan repeats (dropout in train mode)
      const drawn = getRngState();
      setRngState(rng);
      traced.plan.redraw();
      if (getRngState() !== drawn) why = 'the forward draws from the generator outside an announced host draw';
      setRngState(drawn);
    }
    if (why !== undefined) traced.plan?.dispose();
    const final = this.plans.settle(key, why ?? { plan: traced.plan!, verdicts }, found.trace);
    // the traced call ran eagerly either way; it counts as a trace, not as an eager call
    if (why !== undefined) this.fallbacks.record(why, final);
    else this.counts.plan = traced.plan!.stats;
    return { outputs, checks };
  }

  private eager(fn: () => tf.Tensor[], reason: string, final: boolean): ForwardOutputs {
    this.fallbacks.record(reason, final);
    this.counts.eager++;
    const { result, checks } = collectChecks(() => tf.tidy(fn));
    return { outputs: result, checks };
  }

  private replay({ plan, verdicts }: CompiledPlan, inputs: readonly tf.Tensor[]): ForwardOutputs {
    const values = plan.replay(inputs, {});
    const count = values.length - verdicts.length;
    this.counts.replays++;
    this.counts.plan = plan.stats;
    return { outputs: values.slice(0, count), checks: values.slice(count).map((v, i) => ({ values: v, verdict: verdicts[i]! })) };
  }

  /** Frees every plan. */
  dispose(): void {
    this.plans.clear();
  }
}
