import * as tf from '@tensorflow/tfjs-core';

interface TapeNode {
  saved?: tf.Tensor[];
}
interface EngineStateInternals {
  activeTape: TapeNode[] | null;
  gradientDepth: number;
}

/**
 * `tf.variableGrads(f, vars)`, except that when `f` throws, the tensors the gradient tape kept for
 * the backward pass are freed (tfjs frees them only after a successful backward pass, so every
 * throwing objective leaks them). Nested gradient scopes are left alone: their owner frees the tape.
 */
export function variableGradsReleasing(f: () => tf.Scalar, vars?: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  try {
    return tf.variableGrads(f, vars);
  } catch (e) {
    const state = tf.engine().state as unknown as EngineStateInternals;
    if (state.gradientDepth === 0 && Array.isArray(state.activeTape)) {
      for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
      state.activeTape = null;
    }
    throw e;
  }
}
