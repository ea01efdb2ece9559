import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { compileStep, type StepOptions } from '@logitlab/train';
import { median, type MeasureOptions } from './measure-options';
import type { Workload } from './workloads';

/** The compiled step of a workload, measured in the same process right after its eager step. */
export interface CompiledBench {
  trainSamplesPerSec: number;
  /** compiled / eager train samples per second, both from this run (a loaded machine moves both alike). */
  eagerRatio: number;
  kernelCallsPerStep: number;
  /** Kernel calls of the eager step the plan was recorded from (the plan reads gradient-saved Identity clones as their source). */
  eagerKernelCallsPerStep: number;
  /** Peak bytes of the values a replay holds at once (the arena a planned allocator would need). */
  arenaBytes: number;
  /** Per replayed step, from a separate profiled run: time in kernel functions, and the rest (the replay loop, guards, handing values back). */
  kernelMsPerStep: number;
  engineMsPerStep: number;
  /**
   * compiled / eager if the replay's time outside kernel functions were zero: the eager ratio divided by the
   * kernels' share of a profiled replay. A replay calls the same kernels as the eager step, so no replay of
   * them can beat this; closing a gap beyond it takes faster or fused kernels.
   */
  replayCeiling: number;
  /** Why the step ran eagerly, when it did (the row then measures eager steps). */
  fallback?: string;
}

/** See CompiledBench.replayCeiling; the kernels' share comes from one profiled run (its timer overhead cancels in the share). */
export function replayCeiling(eagerRatio: number, kernelMs: number, replayMs: number): number {
  return kernelMs > 0 && replayMs >= kernelMs ? (eagerRatio * replayMs) / kernelMs : Number.NaN;
}

type Out = { m: Module; x: tf.Tensor };

function stepOptions(w: Workload, optimizer: tf.Optimizer): StepOptions<Module, Out> {
  return { forward: (m, b) => ({ m, x: b.x }), loss: (o, y) => w.loss(o.m, o.x, y), optimizer };
}

/** Times `steps`-step repeats of the workload's compiled SGD step, as measureWorkload times the eager one. */
export async function measureCompiled(w: Workload, o: MeasureOptions, steps: number, eagerSamplesPerSec: number): Promise<CompiledBench> {
  const optimizer = tf.train.sgd(w.lr);
  let fallback: string | undefined;
  const compiled = compileStep(w.model, stepOptions(w, optimizer), { onFallback: (r) => (fallback ??= r) });
  const profiled = compileStep(w.model, stepOptions(w, optimizer), { profile: true, onFallback: () => {} });
  const batch = { x: w.x, y: w.y };
  try {
    w.model.train();
    let t0 = performance.now();
    // the first step is eager and the second traces: warm up past both
    for (let i = 0; i < Math.max(3, o.warmup) || performance.now() - t0 < o.warmupSec * 1000; i++) {
      const cost = compiled.step(batch);
      await cost.data();
      cost.dispose();
    }
    const rates: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      t0 = performance.now();
      let cost: tf.Scalar | undefined;
      for (let i = 0; i < steps; i++) {
        cost?.dispose();
        cost = compiled.step(batch);
      }
      await cost!.data();
      cost!.dispose();
      rates.push((steps * w.batch) / ((performance.now() - t0) / 1000));
    }
    for (let i = 0; i < steps + 2; i++) tf.dispose(profiled.step(batch));
    const p = profiled.stats;
    const replays = Math.max(1, p.replays);
    const trainSamplesPerSec = median(rates);
    const row: CompiledBench = {
      trainSamplesPerSec,
      eagerRatio: trainSamplesPerSec / eagerSamplesPerSec,
      kernelCallsPerStep: compiled.stats.plan?.kernelCalls ?? 0,
      eagerKernelCallsPerStep: compiled.stats.plan?.eagerKernelCalls ?? 0,
      arenaBytes: compiled.stats.plan?.arenaBytes ?? 0,
      kernelMsPerStep: p.kernelMs / replays,
      engineMsPerStep: (p.replayMs - p.kernelMs) / replays,
      replayCeiling: replayCeiling(trainSamplesPerSec / eagerSamplesPerSec, p.kernelMs, p.replayMs),
    };
    if (fallback !== undefined) row.fallback = fallback;
    return row;
  } finally {
    compiled.dispose();
    profiled.dispose();
    optimizer.dispose();
  }
}
