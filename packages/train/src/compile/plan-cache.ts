import type { StepPlan } from '@logitlab/backends/compat';
import type { CheckVerdict } from '@logitlab/core';

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
