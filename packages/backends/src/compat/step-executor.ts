import type * as tf from '@tensorflow/tfjs-core';
import type { PlanSpec } from './step-spec';

/**
 * A backend's own way to run a whole recorded step (the native addon runs it in one call). `run` returns
 * the step's outputs as backend values the caller owns, or undefined when it cannot run this time (a
 * parameter's storage is shared with another tensor): the plan then replays kernel by kernel.
 */
export interface PlanExecutor {
  /** Bytes of the one allocation every intermediate lives in. */
  readonly arenaBytes: number;
  /** Instructions per step (kernel calls after aliasing reshapes and identities away). */
  readonly instructions: number;
  /** Milliseconds the last run spent in the backend's call (the rest of a replay is the JS around it). */
  readonly lastCallMs: number;
  run(inputs: readonly tf.Tensor[], scalars: Readonly<Record<string, number>>): tf.TensorInfo[] | undefined;
  dispose(): void;
}

/** Lowers a recorded step for one backend: an executor, or the one-line reason it cannot. */
export type PlanLowering = (spec: PlanSpec) => PlanExecutor | string;

// One registry per process, on the global symbol registry: the package's main entry (which registers the native
// backend's lowering) and its `compat` entry (which @logitlab/train records steps through) are separate bundles, each
// with its own copy of this module. A module-level Map made the native lowering invisible to compiled steps from the
// built packages: every compiled native step fell back to the kernel loop there (tests, which run the sources, passed).
const KEY = Symbol.for('@logitlab/backends/plan-lowerings');
const lowerings = ((globalThis as unknown as Record<symbol, Map<string, PlanLowering> | undefined>)[KEY] ??= new Map<
  string,
  PlanLowering
>());

/** Registers the backend's lowering (again: replaces it). Plans recorded on that backend try it first. */
export function registerPlanLowering(backendName: string, lower: PlanLowering): void {
  lowerings.set(backendName, lower);
}

export function planLowering(backendName: string): PlanLowering | undefined {
  return lowerings.get(backendName);
}
