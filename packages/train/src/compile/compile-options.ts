import type { PlanStats } from '@logitlab/backends/compat';

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
