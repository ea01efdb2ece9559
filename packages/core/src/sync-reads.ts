// Some backends cannot read a tensor back synchronously (webgpu in Node on Dawn: no OffscreenCanvas;
// in browsers it is slow or unreliable). Library code whose sync reads are optional checks (a loss's
// target range, a pitfall sample) asks here and skips them there; @logitlab/backends marks the backends.
import { getBackend } from '@tensorflow/tfjs-core';

const noSyncReads = new Set<string>();

/** Marks backend `name` as unable to serve dataSync/arraySync/bufferSync. */
export function markNoSyncReads(name: string): void {
  noSyncReads.add(name);
}

/** Whether the active backend serves synchronous reads. */
export function syncReadsWork(): boolean {
  return !noSyncReads.has(getBackend());
}
