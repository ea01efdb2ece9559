// Shared by the kernel tests of the trained backends (wasm, native, webgpu): run the same computation on
// cpu and on the backend under test and compare. Reads are asynchronous: webgpu in Node has no sync reads.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/index';

/** A backend whose kernels we supply, tested against cpu. */
export type TrainedBackend = 'wasm' | 'native' | 'webgpu';

// Optional backends, and the variable that makes their absence a failure (CI installs what they need)
const REQUIRED_BY: Partial<Record<TrainedBackend, string>> = {
  native: 'LOGITLAB_REQUIRE_NATIVE', // the addon builds only where g++, oneDNN and OpenBLAS exist
  webgpu: 'LOGITLAB_REQUIRE_WEBGPU', // the optional `webgpu` package and Mesa's EGL (llvmpipe without a GPU)
};

/**
 * Why `name` cannot be tested here, or undefined. An optional backend's tests skip with this reason
 * (printed), except where its LOGITLAB_REQUIRE_* variable is 1, where the failure is thrown.
 */
export async function untestableReason(name: TrainedBackend): Promise<string | undefined> {
  try {
    await useBackend(name, { threads: 1 });
    return undefined;
  } catch (error) {
    const required = REQUIRED_BY[name];
    if (required && process.env[required] !== '1') {
      const reason = error instanceof Error ? error.message : String(error);
      console.warn(`SKIPPED ${name} backend tests (${required}=1 makes this fail): ${reason}`);
      return reason;
    }
    throw error;
  }
}

export async function onBackend<T>(name: 'cpu' | TrainedBackend, f: () => T | Promise<T>): Promise<T> {
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
  inputs: () => tf.Tensor[] | Promise<tf.Tensor[]>,
): Promise<Float32Array[]> {
  return onBackend(backend, async () => {
    const xs = await inputs();
    const gs = tf.grads(f)(xs);
    const out = (await Promise.all(gs.map((g) => g.data()))) as Float32Array[];
    tf.dispose([...xs, ...gs]);
    return out;
  });
}

/** The values of `make()`'s tensors, read asynchronously; every tensor made is disposed. */
export async function valuesOf(make: () => tf.Tensor[]): Promise<Array<[string, number[]]>> {
  const ts = tf.tidy(make);
  const out = await Promise.all(ts.map(async (t): Promise<[string, number[]]> => [t.dtype, Array.from(await t.data())]));
  tf.dispose(ts);
  return out;
}
