import * as tf from '@tensorflow/tfjs-core';
import { buildWorkload } from './workloads';

export interface KernelProfileRow {
  kernel: string;
  callsPerStep: number;
  msPerStep: number;
}

export interface StepProfile {
  workload: string;
  backend: string;
  /** Wall time of one training step. */
  stepMs: number;
  /** Time inside kernels (outermost kernel calls only); the rest is the engine, the tape and JS. */
  kernelMs: number;
  kernels: KernelProfileRow[];
}

/**
 * Per-kernel time of one training step of a workload on the active backend: every kernel of the backend
 * is wrapped with a timer for the duration of the measurement (kernels calling kernels count once, in
 * the outer one). Diagnostics for `LOGITLAB_BENCH_PROFILE=1 logitlab bench`, not a benchmark.
 */
export async function profileWorkload(name: string, backend: string, steps = 20): Promise<StepProfile> {
  const w = buildWorkload(name);
  const optimizer = tf.train.sgd(w.lr);
  const step = () => optimizer.minimize(() => w.loss(w.model, w.x, w.y), true, w.model.parameters()) as tf.Scalar;
  const stats = new Map<string, { calls: number; ms: number }>();
  const originals = tf.getKernelsForBackend(backend);
  let depth = 0;
  const wrap = (k: tf.KernelConfig): tf.KernelConfig => ({
    ...k,
    kernelFunc: (args) => {
      if (depth > 0) return k.kernelFunc(args);
      depth++;
      const t0 = performance.now();
      try {
        return k.kernelFunc(args);
      } finally {
        depth--;
        const s = stats.get(k.kernelName) ?? { calls: 0, ms: 0 };
        s.calls++;
        s.ms += performance.now() - t0;
        stats.set(k.kernelName, s);
      }
    },
  });
  try {
    w.model.train();
    for (let i = 0; i < 5; i++) tf.dispose(step()); // warm caches and JIT before timing
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, backend);
      tf.registerKernel(wrap(k));
    }
    const t0 = performance.now();
    let cost: tf.Scalar | undefined;
    for (let i = 0; i < steps; i++) {
      cost?.dispose();
      cost = step();
    }
    await cost!.data();
    cost!.dispose();
    const stepMs = (performance.now() - t0) / steps;
    const kernels = [...stats].map(([kernel, s]) => ({ kernel, callsPerStep: s.calls / steps, msPerStep: s.ms / steps }));
    kernels.sort((a, b) => b.msPerStep - a.msPerStep);
    return { workload: name, backend, stepMs, kernelMs: kernels.reduce((a, k) => a + k.msPerStep, 0), kernels };
  } finally {
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, backend);
      tf.registerKernel(k);
    }
    optimizer.dispose();
    w.dispose();
  }
}
