import * as tf from '@tensorflow/tfjs-core';
import { firstFailedCheck } from '@logitlab/core';
import type { Module } from '@logitlab/layers';
import { evaluatePlans } from './compile/evaluate-plans';
import type { ForwardPlans } from './compile/forward-plans';
import { EmptyDataError, TrainError } from './errors';
import type { EvaluateOptions, EvaluateResult } from './evaluate-options';
import type { Batch, BatchMetric, BatchSource } from './types';

export type { EvaluateOptions, EvaluateResult } from './evaluate-options';

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
  const plans = evaluatePlans(model, metrics, options);
  try {
    return await evaluateWith(plans, model, data, metrics, options);
  } finally {
    plans?.dispose();
  }
}

/** `evaluate` replaying the caller's plans (or eagerly without): fit's validation keeps one set for its whole run. */
export async function evaluateWith<M extends Module, O>(
  plans: ForwardPlans | undefined,
  model: M,
  data: BatchSource,
  metrics: Record<string, BatchMetric<O>>,
  options: EvaluateOptions<M, O>,
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
