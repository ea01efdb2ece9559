import type * as tf from '@tensorflow/tfjs-core';
import type { StepPlan } from '@logitlab/backends/compat';
import type { CheckVerdict } from '@logitlab/core';

/** Traces of one guard key that found no plan before its calls stay eager. */
const MAX_TRACES = 3;

/** What to do with a call: replay a plan, trace (after `tries` failed traces of its key), or run eagerly. */
export type Lookup = { replay: CompiledPlan } | { trace: number } | { eager: string; final: boolean };

/** A replayable step: the plan, and the verdicts of the data checks its outputs carry after the loss, in order. */
export interface CompiledPlan {
  plan: StepPlan;
  verdicts: CheckVerdict[];
}

/** Why a key's step is not replayed; traced again after `wait` more eager steps, `tries` so far. */
export interface Refusal {
  reason: string;
  tries: number;
  wait: number;
}

/**
 * Plans by guard key, at most `max`, least recently used out first (its constants freed). A key whose
 * step could not be replayed keeps the refusal instead.
 */
export class PlanCache {
  private readonly entries = new Map<string, CompiledPlan | Refusal>();

  constructor(private readonly max: number) {}

  get(key: string): CompiledPlan | Refusal | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      // re-insert: a Map iterates in insertion order, so the first key is the least recently used
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** The plan for `key` when it can run on `inputs`; else whether to trace now or stay eager (and why). */
  lookup(key: string, inputs: readonly tf.Tensor[]): Lookup {
    const cached = this.get(key);
    if (cached && 'reason' in cached) {
      const final = cached.tries >= MAX_TRACES;
      return final || --cached.wait > 0 ? { eager: cached.reason, final } : { trace: cached.tries };
    }
    if (cached && cached.plan.mismatch(inputs) === undefined) return { replay: cached };
    return { trace: 0 };
  }

  /**
   * Keeps what a trace of `key` gave: its plan, or the reason there is none. A host read may be a check
   * that stops after a few calls (losses' pitfall checks): the key traces again after 2, 4, ... more
   * eager calls, up to MAX_TRACES. Returns true when the refusal is final (tell the reason then).
   */
  settle(key: string, traced: CompiledPlan | string, tries: number): boolean {
    if (typeof traced !== 'string') {
      this.set(key, traced);
      return false;
    }
    this.set(key, { reason: traced, tries: tries + 1, wait: 2 ** (tries + 1) });
    return tries + 1 >= MAX_TRACES;
  }

  set(key: string, entry: CompiledPlan | Refusal): void {
    this.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry !== undefined && !('reason' in entry)) entry.plan.dispose();
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const key of Array.from(this.entries.keys())) this.delete(key);
  }
}
