import * as tf from '@tensorflow/tfjs-core';
import { registeredVariables } from '@logitlab/backends';

/**
 * webgpu cannot read results back synchronously in a dependable way (slow on real GPUs; on software
 * adapters, as in headless Chromium, it returns zeros or loses the device). Two tfjs paths do it:
 * moving a tensor to another backend (`engine.moveData` reads it with readSync) and library code
 * that calls dataSync (explain()'s conservation report). The helpers below keep both off webgpu.
 */

/**
 * Reads tensors back asynchronously so their values are cached on the host: a later move to
 * another backend then copies the cache instead of reading the GPU synchronously. Only webgpu needs
 * it; elsewhere it is a no-op.
 */
export async function cacheOnHost(tensors: readonly tf.Tensor[] = registeredVariables()): Promise<void> {
  if (tf.getBackend() !== 'webgpu') return;
  await Promise.all(tensors.filter((t) => !t.isDisposed).map((t) => t.data()));
}

/**
 * Runs `fn` on a backend that can read synchronously: on webgpu it runs on wasm (or cpu), after
 * caching `keep` (the model's weights) on the host so they move across intact, and the backend is
 * restored afterwards. Call it inside `exclusive` so nothing else computes meanwhile.
 */
export async function onSyncReadableBackend<T>(fn: () => T, keep: readonly tf.Tensor[]): Promise<{ value: T; backend: string }> {
  const active = tf.getBackend();
  if (active !== 'webgpu') return { value: fn(), backend: active };
  await cacheOnHost(keep);
  const fallback = tf.findBackendFactory('wasm') ? 'wasm' : 'cpu';
  await tf.setBackend(fallback);
  try {
    return { value: fn(), backend: fallback };
  } finally {
    await tf.setBackend(active);
  }
}
