import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { EmptyDataError, TrainError } from './errors';
import type { Batch, BatchMetric, BatchSource, ForwardFn } from './types';

export interface EvaluateOptions<M extends Module, O> {
  /** How a batch becomes output; default `model.call(batch.x)`. */
  forward?: ForwardFn<M, O>;
  /**
   * Also return every batch's output and target as host arrays (row-major, in data order), for
   * metrics that are not per-sample means (confusion matrix, F1, IoU, ECE in @logitlab/metrics).
   * Needs `forward` to return a single tensor.
   */
  collect?: boolean;
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

/**
 * Runs the model in eval mode over `data` (restoring its previous mode afterwards) and averages
 * each metric over all samples; data that yields no batch is an EmptyDataError. Metric sums stay on the device until the end: one read per metric,
 * not one per batch. Every batch and intermediate is disposed.
 */
export async function evaluate<M extends Module, O = tf.Tensor>(
  model: M,
  data: BatchSource,
  metrics: Record<string, BatchMetric<O>>,
  options: EvaluateOptions<M, O> = {},
): Promise<EvaluateResult> {
  const forward = options.forward ?? ((m: M, b: Batch) => m.call(b.x) as O);
  const wasTraining = model.training;
  model.eval();
  data.setEpoch?.(0);
  const names = Object.keys(metrics);
  let sums: tf.Tensor[] = names.map(() => tf.scalar(0));
  const hostSums = names.map(() => 0);
  const outs: Float32Array[] = [];
  const tgts: Array<Float32Array | Int32Array> = [];
  let count = 0;
  try {
    for await (const batch of data) {
      try {
        const n = batch.x.shape[0] ?? 1;
        let collected: tf.Tensor | undefined;
        const next = tf.tidy(() => {
          const out = forward(model, batch);
          if (options.collect) {
            if (!(out instanceof tf.Tensor)) throw new TrainError('evaluate with collect: true needs forward to return one tensor');
            collected = tf.keep(tf.clone(out));
          }
          return names.map((name, i) => {
            const v = (metrics[name] as BatchMetric<O>)(out, batch.y);
            if (typeof v === 'number') {
              hostSums[i]! += v * n;
              return sums[i] as tf.Tensor;
            }
            if (v.size !== 1)
              throw new TrainError(`metric "${name}" returned shape [${v.shape.join(', ')}]; expected a scalar (a mean over the batch)`);
            return tf.add(sums[i] as tf.Tensor, tf.mul(tf.cast(tf.reshape(v, []), 'float32'), n));
          });
        });
        for (let i = 0; i < sums.length; i++) if (sums[i] !== next[i]) sums[i]!.dispose();
        sums = next;
        if (collected) {
          // read asynchronously: a backend such as webgpu cannot serve dataSync
          const kept = collected;
          try {
            const [o, t] = await Promise.all([kept.data(), batch.y.data()]);
            outs.push(o as Float32Array);
            tgts.push(t as Float32Array | Int32Array);
          } finally {
            kept.dispose();
          }
        }
        count += n;
      } finally {
        tf.dispose([batch.x, batch.y]);
      }
    }
    if (count === 0) throw new EmptyDataError(data.length);
    const values = await Promise.all(sums.map((s) => s.data()));
    const result: EvaluateResult = {
      metrics: Object.fromEntries(names.map((name, i) => [name, ((values[i]?.[0] as number) + (hostSums[i] as number)) / count])),
      count,
    };
    if (options.collect) {
      result.outputs = concat(outs, Float32Array);
      result.targets =
        tgts[0] instanceof Int32Array ? concat(tgts as Int32Array[], Int32Array) : concat(tgts as Float32Array[], Float32Array);
    }
    return result;
  } finally {
    tf.dispose(sums);
    model.train(wasTraining);
  }
}

function concat<T extends Float32Array | Int32Array>(parts: T[], Ctor: new (n: number) => T): T {
  const out = new Ctor(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
