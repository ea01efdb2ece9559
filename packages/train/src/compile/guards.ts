import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
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

/**
 * What a plan assumed that can change between steps: the backend, the batch's shapes and dtypes, the
 * model's mode and its parameter set. Another key traces another plan.
 */
export function stepGuardKey(model: Module, batch: Batch): string {
  const params = model
    .parameters()
    .map((p) => p.id)
    .join(',');
  return `${tf.getBackend()}|${model.training ? 'train' : 'eval'}|x ${describe(batch.x)}|y ${describe(batch.y)}|p ${params}`;
}
