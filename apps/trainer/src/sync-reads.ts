// Evaluation code that reads values synchronously (pixel flipping's score function, the randomisation
// check) cannot run on webgpu in Node. It runs on a CPU backend instead, after the model's weights
// were read asynchronously (so tfjs moves them across from the host copy), and the backend is restored.
import * as tf from '@tensorflow/tfjs-core';
import { syncReadsWork } from '@logitlab/core';
import { useBackend } from '@logitlab/backends';

/** Runs fn where sync reads work: here, or on native (else cpu) when the active backend has none; says where it ran. */
export async function onSyncReadableBackend<T>(keep: readonly tf.Tensor[], fn: () => Promise<T>): Promise<{ value: T; backend: string }> {
  const active = tf.getBackend();
  if (syncReadsWork()) return { value: await fn(), backend: active };
  await Promise.all(keep.filter((t) => !t.isDisposed).map((t) => t.data()));
  const fallback = await useBackend('native').catch(() => useBackend('cpu'));
  try {
    return { value: await fn(), backend: fallback.name };
  } finally {
    await tf.setBackend(active);
  }
}
