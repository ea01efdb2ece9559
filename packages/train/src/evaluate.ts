import * as tf from '@tensorflow/tfjs-core';
import { firstFailedCheck, isReplayable } from '@logitlab/core';
import type { Module } from '@logitlab/layers';
import { ForwardPlans } from './compile/forward-plans';
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
  /**
   * Record the eval forward and the metrics once per batch shape and replay them without tfjs's engine
   * (see `compileForward`); the same numbers (bit for bit on cpu). `'auto'` (the default) compiles
   * when `forward` (if given) and every metric are marked `replayable` (the library's losses and
   * `batchAccuracy` are), `true` wherever the tracer can, `false` never. A batch that cannot be
   * replayed runs eagerly.
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
  const plans = compiles(model, options, Object.values(metrics)) ? new ForwardPlans(model, 'compiled evaluate', options) : undefined;
  try {
    for await (const batch of data) {
      try {
        const n = batch.x.shape[0] ?? 1;
        // the metrics' values as float32 scalars (number-valued ones go to hostSums), then the output to collect
        const returned: number[] = [];
        let hostValued: string | undefined;
        const values = () => {
          const out = forward(model, batch);
          returned.length = 0;
          const vs = names.flatMap((name, i) => {
            const v = (metrics[name] as BatchMetric<O>)(out, batch.y);
            if (typeof v === 'number') {
              hostValued ??= name;
              hostSums[i]! += v * n;
              return [];
            }
            if (v.size !== 1)
              throw new TrainError(`metric "${name}" returned shape [${v.shape.join(', ')}]; expected a scalar (a mean over the batch)`);
            returned.push(i);
            return [tf.cast(tf.reshape(v, []), 'float32')];
          });
          if (!options.collect) return vs;
          if (!(out instanceof tf.Tensor)) throw new TrainError('evaluate with collect: true needs forward to return one tensor');
          return [...vs, out];
        };
        const refuse = () =>
          hostValued === undefined ? undefined : `metric "${hostValued}" returned a number (a replay would not add it)`;
        const run = plans ? plans.run([batch.x, batch.y], values, refuse) : { outputs: tf.tidy(values), checks: [] };
        const collected = options.collect ? run.outputs.pop() : undefined;
        const next = tf.tidy(() => {
          // a replay does not call values(): its plan was traced from a call where every metric gave a tensor
          const which = run.outputs.length === returned.length ? returned : names.map((_, i) => i);
          const at = sums.map((s) => s);
          which.forEach((i, k) => (at[i] = tf.add(sums[i] as tf.Tensor, tf.mul(run.outputs[k] as tf.Tensor, n))));
          return at;
        });
        tf.dispose(run.outputs);
        for (let i = 0; i < sums.length; i++) if (sums[i] !== next[i]) sums[i]!.dispose();
        sums = next;
        if (run.checks.length > 0) {
          // the loss's deferred target checks, read as an eager loss would have read them
          const read = await Promise.all(run.checks.map((c) => c.values.data()));
          tf.dispose(run.checks.map((c) => c.values));
          const failed = firstFailedCheck(
            run.checks,
            read.flatMap((r) => Array.from(r)),
          );
          if (failed) {
            collected?.dispose();
            throw failed;
          }
        }
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
    plans?.dispose();
    tf.dispose(sums);
    model.train(wasTraining);
  }
}

/**
 * Whether to record the evaluation: under 'auto', only code marked replayable, since a replay skips the
 * rest's JavaScript. Without `forward`, that is every module's own forward (the library's layers and
 * models are marked; a module of the user's may count its calls).
 */
function compiles<M extends Module, O>(model: M, options: EvaluateOptions<M, O>, metrics: unknown[]): boolean {
  const compile = options.compile ?? 'auto';
  if (compile !== 'auto') return compile;
  const forward =
    options.forward === undefined ? model.namedModules().every(([, m]) => isReplayable(m.forward)) : isReplayable(options.forward);
  return forward && metrics.every((m) => isReplayable(m));
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
