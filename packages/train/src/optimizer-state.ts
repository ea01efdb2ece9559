import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { CheckpointError } from './errors';

/**
 * tfjs optimizers name their slots after the variables' auto-generated names ("12/m"), which differ
 * between processes. We store them under the module's parameter keys ("fc1.weight/m") and translate
 * back on restore. tfjs matches slots to variables by POSITION (the order of the gradient map), so the
 * saved order is kept; the model must be built the same way (loadStateDict strict checks that).
 */
export interface SavedOptimizerState {
  names: string[];
  tensors: tf.Tensor[];
  /** Call once the tensors have been serialised: frees the copies getWeights made, never the live slots. */
  release(): void;
}

interface AdamLike {
  accBeta1?: unknown;
  accBeta2?: unknown;
}

const ADAM_EXTRAS = ['accBeta1', 'accBeta2'] as const;

export async function saveOptimizerState(optimizer: tf.Optimizer, model: Module): Promise<SavedOptimizerState> {
  const byVar = new Map(model.namedParameters().map(([key, v]) => [v.name, key]));
  const weights = await optimizer.getWeights();
  const names = weights.map((w) => (w.name === 'iter' ? w.name : translate(w.name, byVar, 'optimizer slot')));
  const tensors = weights.map((w) => w.tensor);
  // Adam recomputes its bias-correction powers with pow() on setWeights, which differs in the last
  // bit from the running product; saving them keeps a resumed run bit-identical.
  const extras = optimizer as unknown as AdamLike;
  for (const k of ADAM_EXTRAS) {
    const v = extras[k];
    if (v instanceof tf.Variable) {
      names.push(`#${k}`);
      tensors.push(v);
    }
  }
  return {
    names,
    tensors,
    release: () => {
      for (const t of tensors) if (!(t instanceof tf.Variable)) t.dispose();
    },
  };
}

export async function restoreOptimizerState(optimizer: tf.Optimizer, model: Module, names: string[], tensors: tf.Tensor[]): Promise<void> {
  if (optimizer.iterations !== 0) {
    throw new CheckpointError(`cannot restore into an optimizer that has already taken ${optimizer.iterations} steps; expected a fresh optimizer`);
  }
  const byKey = new Map(model.namedParameters().map(([key, v]) => [key, v.name]));
  const slots: Parameters<tf.Optimizer['setWeights']>[0] = [];
  const extras: Array<[string, tf.Tensor]> = [];
  names.forEach((name, i) => {
    const tensor = tensors[i] as tf.Tensor;
    if (name.startsWith('#')) extras.push([name.slice(1), tensor]);
    else slots.push({ name: name === 'iter' ? name : translate(name, byKey, 'checkpoint optimizer slot'), tensor });
  });
  try {
    await optimizer.setWeights(slots);
  } catch (e) {
    throw new CheckpointError(`optimizer ${optimizer.getClassName()} rejected the checkpoint's state (${(e as Error).message}); was it saved from another optimizer?`);
  }
  const live = optimizer as unknown as Record<string, unknown>;
  for (const [k, t] of extras) {
    const v = live[k];
    if (v instanceof tf.Variable) v.assign(t);
  }
}

/** "12/m" -> "fc.weight/m" (or back): the longest known name that prefixes `slot` followed by "/". */
function translate(slot: string, map: Map<string, string>, what: string): string {
  let best: string | undefined;
  for (const from of map.keys()) {
    if (slot.startsWith(`${from}/`) && (!best || from.length > best.length)) best = from;
  }
  if (best === undefined) throw new CheckpointError(`${what} "${slot}" belongs to no parameter of the model; expected "<parameter>/<slot>"`);
  return `${map.get(best)}${slot.slice(best.length)}`;
}
