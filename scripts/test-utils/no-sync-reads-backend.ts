import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/** The test backend's name: a cpu backend whose tensors' sync reads throw. */
export const NO_SYNC = 'cpu-no-sync-reads';

/**
 * Registers, once per module graph, a cpu backend on which (as with webgpu in Node) a tensor's sync
 * reads throw: dataSync, and arraySync and bufferSync, which go through it. Its kernels still read
 * their inputs internally, so everything but a host read works. Returns its name; the caller marks
 * it with @logitlab/core's markNoSyncReads (a root helper imports no workspace package).
 */
export function registerNoSyncReadsBackend(): string {
  if (tf.findBackendFactory(NO_SYNC)) return NO_SYNC;
  // firstUse off: no tfjs-node banner, as @logitlab/backends does for the cpu backend
  tf.registerBackend(NO_SYNC, () => Object.assign(new MathBackendCPU(), { firstUse: false }), -1);
  for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: NO_SYNC });
  const dataSync = tf.Tensor.prototype.dataSync;
  tf.Tensor.prototype.dataSync = function <D extends tf.DataType = tf.DataType>(this: tf.Tensor) {
    if (tf.getBackend() === NO_SYNC) throw new Error('this backend has no synchronous reads');
    return dataSync.call(this) as tf.DataTypeMap[D];
  };
  return NO_SYNC;
}
