import * as tf from '@tensorflow/tfjs-core';
import { type CompiledBench, measureCompiled } from './compiled';
import { type CompiledInferBench, measureCompiledInference } from './compiled-forward';
import { median, type MeasureOptions } from './measure-options';
import { buildWorkload } from './workloads';

export interface BenchRow {
  name: string;
  backend: string;
  trainSamplesPerSec: number;
  inferSamplesPerSec: number;
  leakedTensorsPerStep: number;
  peakRssMB: number;
  /** Steps per timed repeat actually used (fewer on slow backends, see `stepsFor`). */
  stepsPerRepeat: number;
  /** The same training measured through compileStep, right after the eager steps. */
  compiled?: CompiledBench;
  /** The same inference measured through compileForward, right after the eager forward. */
  compiledInfer?: CompiledInferBench;
}

export { median, type MeasureOptions } from './measure-options';

/** Steps per repeat: the requested count, fewer when one step is so slow a repeat would exceed the target. */
export function stepsFor(requested: number, stepSec: number, targetSec: number): number {
  if (!(stepSec > 0)) return requested;
  return Math.max(1, Math.min(requested, Math.round(targetSec / stepSec)));
}

function rssMB(): number {
  return process.memoryUsage.rss() / (1024 * 1024);
}

/**
 * Measures one workload on the current backend: `warmup` untimed steps, then `repeats` timed blocks;
 * each block ends with ONE read of the loss (the sync point), like the PyTorch script. Leaks are
 * counted over the timed training steps; RSS is sampled after every step.
 */
export async function measureWorkload(name: string, backend: string, o: MeasureOptions): Promise<BenchRow> {
  const w = buildWorkload(name);
  const optimizer = tf.train.sgd(w.lr);
  let peak = rssMB();
  const step = (): tf.Scalar => optimizer.minimize(() => w.loss(w.model, w.x, w.y), true, w.model.parameters()) as tf.Scalar;
  try {
    w.model.train();
    let t0 = performance.now();
    const minWarm = Math.max(1, o.warmup);
    let warm = 0;
    while (warm < minWarm || performance.now() - t0 < o.warmupSec * 1000) {
      const cost = step();
      await cost.data();
      cost.dispose();
      peak = Math.max(peak, rssMB());
      warm++;
    }
    const steps = stepsFor(o.steps, (performance.now() - t0) / 1000 / warm, o.targetRepeatSec ?? 2);

    const before = tf.memory().numTensors;
    const trainRates: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      t0 = performance.now();
      let cost: tf.Scalar | undefined;
      for (let i = 0; i < steps; i++) {
        cost?.dispose();
        cost = step();
        peak = Math.max(peak, rssMB());
      }
      await cost!.data();
      cost!.dispose();
      trainRates.push((steps * w.batch) / ((performance.now() - t0) / 1000));
    }
    const leaked = (tf.memory().numTensors - before) / (steps * o.repeats);
    const compiled = await measureCompiled(w, o, steps, median(trainRates));

    w.model.eval();
    const inferRates: number[] = [];
    const forward = () => w.model.call(w.x);
    t0 = performance.now();
    for (let i = 0; i < minWarm || performance.now() - t0 < o.warmupSec * 1000; i++) {
      const s = forward();
      await s.data();
      s.dispose();
    }
    for (let r = 0; r < o.repeats; r++) {
      t0 = performance.now();
      let out: tf.Tensor | undefined;
      for (let i = 0; i < steps; i++) {
        out?.dispose();
        out = forward();
      }
      await out!.data();
      out!.dispose();
      inferRates.push((steps * w.batch) / ((performance.now() - t0) / 1000));
      peak = Math.max(peak, rssMB());
    }
    const compiledInfer = await measureCompiledInference(w, o, steps, median(inferRates));
    return {
      name,
      backend,
      trainSamplesPerSec: median(trainRates),
      inferSamplesPerSec: median(inferRates),
      leakedTensorsPerStep: leaked,
      peakRssMB: Math.round(peak),
      stepsPerRepeat: steps,
      compiled,
      compiledInfer,
    };
  } finally {
    optimizer.dispose();
    w.dispose();
  }
}
