import * as tf from '@tensorflow/tfjs-core';
import { BIAS_CORRECTION_FIELDS, readBiasCorrection, writeBiasCorrection } from '@logitlab/backends/compat';
import type { Module } from '@logitlab/layers';
import { CheckpointError } from './errors';

/**
 * tfjs optimizers name their slots after the variables' auto-generated names ("12/m"), which differ
 * between processes. We store them under the module's parameter keys ("fc1.weight/m") and translate
 * back on restore. tfjs matches slots to variables by POSITION (the order of the gradient map), so the
 * saved order is kept; the model must be built the same way (loadStateDict strict checks that).
 * Adam's bias-correction products are read and written through @logitlab/backends/compat (tfjs
 * internals live there only): setWeights recomputes them with pow(), which differs in the last bit
 * from the running product, so saving them keeps a resumed run bit-identical.
 */
export interface SavedOptimizerState {
  names: string[];
  tensors: tf.Tensor[];
  /** Call once the tensors have been serialised: frees the copies getWeights made, never the live slots. */
  release(): void;
}

/** Slot names of Adam's beta1^t, beta2^t in checkpoints (tfjs's field names, as version 1 files wrote them). */
const EXTRAS = BIAS_CORRECTION_FIELDS.map((f) => `#${f}`);

export async function saveOptimizerState(optimizer: tf.Optimizer, model: Module): Promise<SavedOptimizerState> {
  const byVar = new Map(model.namedParameters().map(([key, v]) => [v.name, key]));
  const weights = await optimizer.getWeights();
  const names = weights.map((w) => (w.name === 'iter' ? w.name : translate(w.name, byVar, 'optimizer slot')));
  const tensors = weights.map((w) => w.tensor);
  const bc = readBiasCorrection(optimizer);
  if (bc) {
    names.push(...EXTRAS);
    tensors.push(bc.beta1Power, bc.beta2Power);
  }
  return {
    names,
    tensors,
    release: () => {
      for (const t of tensors) if (!(t instanceof tf.Variable)) t.dispose();
    },
  };
}

/**
 * Checks saved slots against the model and optimizer WITHOUT touching either: every name maps to a
 * parameter (or is `iter` / a known extra), every shape matches its parameter's, extras only for an
 * optimizer that has them. Whatever passes, restoreOptimizerState can write without failing midway.
 */
export function validateOptimizerState(optimizer: tf.Optimizer, model: Module, names: string[], tensors: tf.Tensor[]): void {
  const params = new Map(model.namedParameters());
  const hasExtras = readBiasCorrection(optimizer) !== undefined;
  names.forEach((name, i) => {
    const t = tensors[i] as tf.Tensor;
    if (name === 'iter' || EXTRAS.includes(name)) {
      if (t.rank !== 0)
        throw new CheckpointError(`checkpoint optimizer slot "${name}" has shape [${t.shape.join(', ')}]; expected a scalar`);
      if (name !== 'iter' && !hasExtras)
        throw new CheckpointError(`checkpoint optimizer slot "${name}" is Adam's; optimizer ${optimizer.getClassName()} has none`);
      return;
    }
    const key = [...params.keys()]
      .filter((k) => name.startsWith(`${k}/`))
      .reduce<string | undefined>((best, k) => (!best || k.length > best.length ? k : best), undefined);
    if (key === undefined)
      throw new CheckpointError(`checkpoint optimizer slot "${name}" belongs to no parameter of the model; expected "<parameter>/<slot>"`);
    const p = params.get(key) as tf.Variable;
    if (!sameShape(t.shape, p.shape)) {
      throw new CheckpointError(
        `checkpoint optimizer slot "${name}" has shape [${t.shape.join(', ')}]; expected [${p.shape.join(', ')}] like parameter ${key}`,
      );
    }
  });
  if (hasExtras && !EXTRAS.every((e) => names.includes(e)) && names.length > 1) {
    throw new CheckpointError(
      `checkpoint holds Adam slots but not its bias-correction products (${EXTRAS.join(', ')}); the file is incomplete`,
    );
  }
}

export async function restoreOptimizerState(optimizer: tf.Optimizer, model: Module, names: string[], tensors: tf.Tensor[]): Promise<void> {
  if (optimizer.iterations !== 0) {
    throw new CheckpointError(
      `cannot restore into an optimizer that has already taken ${optimizer.iterations} steps; expected a fresh optimizer`,
    );
  }
  const byKey = new Map(model.namedParameters().map(([key, v]) => [key, v.name]));
  const slots: Parameters<tf.Optimizer['setWeights']>[0] = [];
  const extras = new Map<string, tf.Tensor>();
  names.forEach((name, i) => {
    const tensor = tensors[i] as tf.Tensor;
    if (name.startsWith('#')) extras.set(name, tensor);
    else slots.push({ name: name === 'iter' ? name : translate(name, byKey, 'checkpoint optimizer slot'), tensor });
  });
  try {
    await optimizer.setWeights(slots);
  } catch (e) {
    throw new CheckpointError(
      `optimizer ${optimizer.getClassName()} rejected the checkpoint's state (${(e as Error).message}); was it saved from another optimizer?`,
    );
  }
  const [beta1Power, beta2Power] = EXTRAS.map((e) => extras.get(e));
  if (beta1Power && beta2Power) writeBiasCorrection(optimizer, { beta1Power, beta2Power });
}

/** "12/m" -> "fc.weight/m" (or back): the longest known name that prefixes `slot` followed by "/". */
function translate(slot: string, map: Map<string, string>, what: string): string {
  let best: string | undefined;
  for (const from of map.keys()) {
    if (slot.startsWith(`${from}/`) && (!best || from.length > best.length)) best = from;
  }
  if (best === undefined)
    throw new CheckpointError(`${what} "${slot}" belongs to no parameter of the model; expected "<parameter>/<slot>"`);
  return `${map.get(best)}${slot.slice(best.length)}`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
