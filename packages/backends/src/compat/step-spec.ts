import type * as tf from '@tensorflow/tfjs-core';
import type { HostDrawRefill } from '@logitlab/core';

// The record a StepPlan replays (and a backend's executor lowers): its own file, so both read it without a cycle.
/**
 * Where a value of a recorded step comes from. `op` values are made by the plan's kernels; `scalar`
 * and `draw` values are written anew on every replay (a learning rate, a dropout mask); `const`
 * values are written once when the plan is built and live as long as the plan.
 */
export type SlotSource =
  | { kind: 'input'; index: number }
  | { kind: 'state'; variable: tf.Variable }
  | { kind: 'captured'; tensor: tf.Tensor }
  | { kind: 'const'; values: tf.BackendValues }
  | { kind: 'scalar'; name: string }
  | { kind: 'draw'; refill: HostDrawRefill }
  | { kind: 'op'; op: number; output: number };

export interface SlotSpec {
  source: SlotSource;
  shape: number[];
  dtype: tf.DataType;
}

export interface OpSpec {
  kernelName: string;
  /** Input names in the engine's order; `array` when the kernel takes a list (Concat, AddN, Pack). */
  inputNames: string[];
  inputSlots: number[];
  array: boolean;
  attrs: tf.NamedAttrMap | undefined;
  outputSlots: number[];
}

export interface PlanSpec {
  backendName: string;
  backend: tf.KernelBackend;
  slots: SlotSpec[];
  ops: OpSpec[];
  /** The step function's returned tensors (the loss). */
  outputs: number[];
  /** Variables the step assigned, with the slot of their new value. */
  assigned: Array<{ variable: tf.Variable; slot: number }>;
  /** Kernel calls the eager step made that the plan does not (the Identity clones of gradient-saved tensors). */
  elided: number;
}
