import type * as tf from '@tensorflow/tfjs-core';
import { compileForward } from '@logitlab/train';
import { median, type MeasureOptions } from './measure-options';
import type { Workload } from './workloads';

/** The workload's eval forward through compileForward, measured in the same process right after the eager one. */
export interface CompiledInferBench {
  inferSamplesPerSec: number;
  /** compiled / eager inference samples per second, both from this run (a loaded machine moves both alike). */
  eagerRatio: number;
  kernelCallsPerStep: number;
  /** Why the forward ran eagerly, when it did (the figure then measures eager calls). */
  fallback?: string;
}

/** Times `steps`-call repeats of the workload's compiled eval forward, as measureWorkload times the eager one. */
export async function measureCompiledInference(
  w: Workload,
  o: MeasureOptions,
  steps: number,
  eagerSamplesPerSec: number,
): Promise<CompiledInferBench> {
  let fallback: string | undefined;
  const forward = compileForward(w.model, { onFallback: (r) => (fallback ??= r) });
  try {
    w.model.eval();
    let t0 = performance.now();
    // the first call traces: warm up past it
    for (let i = 0; i < Math.max(2, o.warmup) || performance.now() - t0 < o.warmupSec * 1000; i++) {
      const out = forward.call(w.x);
      await out.data();
      out.dispose();
    }
    const rates: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      t0 = performance.now();
      let out: tf.Tensor | undefined;
      for (let i = 0; i < steps; i++) {
        out?.dispose();
        out = forward.call(w.x);
      }
      await out!.data();
      out!.dispose();
      rates.push((steps * w.batch) / ((performance.now() - t0) / 1000));
    }
    const inferSamplesPerSec = median(rates);
    const row: CompiledInferBench = {
      inferSamplesPerSec,
      eagerRatio: inferSamplesPerSec / eagerSamplesPerSec,
      kernelCallsPerStep: forward.stats.plan?.kernelCalls ?? 0,
    };
    if (fallback !== undefined) row.fallback = fallback;
    return row;
  } finally {
    forward.dispose();
  }
}
