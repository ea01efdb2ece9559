// Shared by the kernel tests of the trained backends (wasm, native): run the same computation on cpu and
// on the backend under test and compare.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/index';

/** A backend whose kernels we supply, tested against cpu. */
export type TrainedBackend = 'wasm' | 'native';

/**
 * Why `name` cannot be tested here, or undefined. The native addon is optional (built only where g++,
 * oneDNN and OpenBLAS exist), so its tests skip with this reason, except where LOGITLAB_REQUIRE_NATIVE=1
 * (CI installs the libraries), where a missing addon fails.
 */
export async function untestableReason(name: TrainedBackend): Promise<string | undefined> {
  try {
    await useBackend(name, { threads: 1 });
    return undefined;
  } catch (error) {
    if (name === 'native' && process.env.LOGITLAB_REQUIRE_NATIVE !== '1') {
      const reason = error instanceof Error ? error.message : String(error);
      console.warn(`SKIPPED native backend tests: ${reason}`);
      return reason;
    }
    throw error;
  }
}

export async function onBackend<T>(name: 'cpu' | TrainedBackend, f: () => T): Promise<T> {
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
export async function gradsOn(
  backend: 'cpu' | TrainedBackend,
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: () => tf.Tensor[],
): Promise<Float32Array[]> {
  return onBackend(backend, () => {
    const xs = inputs();
    const gs = tf.grads(f)(xs);
    const out = gs.map((g) => g.dataSync() as Float32Array);
    tf.dispose([...xs, ...gs]);
    return out;
  });
}
