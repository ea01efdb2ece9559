import type { Module } from '@logitlab/layers';
import type { ForwardFn } from './types';

export interface EvaluateOptions<M extends Module, O> {
  /** How a batch becomes output; default `model.call(batch.x)`. */
  forward?: ForwardFn<M, O>;
  /**
   * Also return every batch's output and target as host arrays (row-major, in data order), for
   * metrics that are not per-sample means (confusion matrix, F1, IoU, ECE in @logitlab/metrics).
   * Needs `forward` to return a single tensor.
   */
  collect?: boolean;
  /**
   * Record the eval forward and the metrics once per batch shape and replay them without tfjs's engine
   * (see `compileForward`); the same numbers (bit for bit on cpu). `'auto'` (the default) compiles
   * when every metric (the library's losses and `batchAccuracy` are) and `forward`, or without it
   * every module's own forward, are marked `replayable`; `true` wherever the tracer can, `false`
   * never. A batch that cannot be replayed runs eagerly.
   */
  compile?: 'auto' | boolean;
  /** Told once per reason a compiled evaluation runs eagerly (default: console.warn with the reason). */
  onFallback?: (reason: string) => void;
}

export interface EvaluateResult {
  /** Sample-weighted mean of every metric over the whole data source. */
  metrics: Record<string, number>;
  /** Samples seen. */
  count: number;
  /** With `collect: true`: outputs and targets as float32 / their own dtype, concatenated over batches. */
  outputs?: Float32Array;
  targets?: Float32Array | Int32Array;
}
