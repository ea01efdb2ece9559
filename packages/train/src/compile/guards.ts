import * as tf from '@tensorflow/tfjs-core';
import { type Module, moduleStructureVersion } from '@logitlab/layers';
import type { StepOptions } from '../step';
import type { Batch } from '../types';

/** tfjs optimizers whose update the compiled step replays (their learning rate found, their slots made before the trace). */
const COMPILED_OPTIMIZERS = new Set(['SGD', 'Momentum', 'Adam']);

/** Why no step with these options can be compiled now, or undefined. */
export function unsupportedReason<M extends Module, O>(options: StepOptions<M, O>, hookActive: boolean): string | undefined {
  const name = options.optimizer.getClassName();
  if (!COMPILED_OPTIMIZERS.has(name)) return `optimizer ${name} has no compiled form yet (SGD, Momentum and Adam do)`;
  // a hook is JavaScript the replay would skip
  if (hookActive) return 'a forward hook is active';
  return undefined;
}

const describe = (t: tf.Tensor) => `${t.dtype}[${t.shape.join(',')}]`;

// The parameter set as a small number: walking every module's parameters (with their dotted names) on
// every step cost more than the rest of a replay's guards, so a model's set is read again only after a
// module somewhere registered or dropped something (the layers' structure version moved).
const parameterSets = new WeakMap<Module, { version: number; ids: string; token: number }>();
let nextToken = 0;

function parameterSet(model: Module): number {
  const version = moduleStructureVersion();
  const seen = parameterSets.get(model);
  if (seen !== undefined && seen.version === version) return seen.token;
  const ids = model
    .parameters()
    .map((p) => p.id)
    .join(',');
  // the same set read again (another module changed) keeps its token, and so its plans
  const token = seen?.ids === ids ? seen.token : nextToken++;
  parameterSets.set(model, { version, ids, token });
  return token;
}

/**
 * What a plan assumed that can change between calls: the backend, the inputs' shapes and dtypes, the
 * model's mode and its parameter set. Another key traces another plan.
 */
export function guardKey(model: Module, inputs: readonly tf.Tensor[]): string {
  return `${tf.getBackend()}|${model.training ? 'train' : 'eval'}|${inputs.map(describe).join('|')}|p ${parameterSet(model)}`;
}

/** The guard key of a training step on `batch`. */
export function stepGuardKey(model: Module, batch: Batch): string {
  return guardKey(model, [batch.x, batch.y]);
}
