// Shared by the wasm kernel tests: run the same computation on cpu and on wasm and compare.
import * as tf from '@tensorflow/tfjs-core';

export async function onBackend<T>(name: 'cpu' | 'wasm', f: () => T): Promise<T> {
  if (tf.getBackend() !== name) await tf.setBackend(name);
  return f();
}

/** max |a - b| / max |b|: the error relative to the reference's scale. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}

/** Gradients of `f` at `inputs` on `backend`, as plain arrays (every tensor made here is disposed). */
export async function gradsOn(backend: 'cpu' | 'wasm', f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: () => tf.Tensor[]): Promise<Float32Array[]> {
  return onBackend(backend, () => {
    const xs = inputs();
    const gs = tf.grads(f)(xs);
    const out = gs.map((g) => g.dataSync() as Float32Array);
    tf.dispose([...xs, ...gs]);
    return out;
  });
}
