// Where a computation reads values synchronously (explain()'s conservation report, pixel flipping's
// scores, the randomisation check) and the active backend cannot serve that dependably (webgpu: no sync
// reads in Node, slow or wrong ones in browsers), it runs on a backend that can. The one helper both
// apps use: the trainer for its map evaluation, the web for explain and its backend switches.
import * as tf from '@tensorflow/tfjs-core';
import { syncReadsWork } from '@logitlab/core';
import { registeredVariables } from './compat/registered-variables';
import { NoBackendAvailableError } from './errors';
import type { BackendInfo, ConcreteBackendName, Platform } from './types';

// A synchronous read on webgpu goes through the GPU and a canvas: in browsers it can return zeros on a
// software adapter or lose the device, so webgpu counts as unable even where tfjs offers the read.
function syncReadsDependable(): boolean {
  return syncReadsWork() && tf.getBackend() !== 'webgpu';
}

/**
 * Reads `tensors` (default: every variable) back asynchronously where the active backend's sync reads
 * are not dependable, so their values are cached on the host: moving them to another backend then
 * copies the cache instead of reading the GPU synchronously. Elsewhere it does nothing.
 */
export async function cacheOnHost(tensors: readonly tf.Tensor[] = registeredVariables()): Promise<void> {
  if (syncReadsDependable()) return;
  await Promise.all(tensors.filter((t) => !t.isDisposed).map((t) => t.data()));
}

// the fastest first; native and wasm read synchronously from host memory
const FALLBACKS: readonly ConcreteBackendName[] = ['native', 'wasm', 'cpu'];

export interface SyncReadableOptions {
  /** Tensors fn uses that live on the active backend (default: every variable); read ahead so they move intact. */
  keep?: readonly tf.Tensor[];
  /** Where to run instead, in order: the first that starts (default native, then wasm, then cpu). */
  fallbacks?: readonly ConcreteBackendName[];
}

export type OnSyncReadableBackend = <T>(fn: () => T | Promise<T>, options?: SyncReadableOptions) => Promise<{ value: T; backend: string }>;

/**
 * onSyncReadableBackend over a platform's useBackend: runs fn here when sync reads are dependable,
 * else on the first fallback that starts, restoring the active backend afterwards, and says where fn
 * ran (a page or report must say so). Call it where nothing else computes meanwhile.
 */
export function syncReadableRunner(start: (name: ConcreteBackendName) => Promise<BackendInfo>, platform: Platform): OnSyncReadableBackend {
  return async (fn, { keep = registeredVariables(), fallbacks = FALLBACKS } = {}) => {
    const active = tf.getBackend();
    if (syncReadsDependable()) return { value: await fn(), backend: active };
    await cacheOnHost(keep);
    const failures: Array<{ name: ConcreteBackendName; reason: string }> = [];
    let fallback: string | undefined;
    for (const name of fallbacks) {
      try {
        fallback = (await start(name)).name;
        break;
      } catch (error) {
        failures.push({ name, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    if (fallback === undefined) {
      await tf.setBackend(active);
      throw new NoBackendAvailableError(platform, failures);
    }
    try {
      return { value: await fn(), backend: fallback };
    } finally {
      await tf.setBackend(active);
    }
  };
}
