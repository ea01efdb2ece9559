// evaluate's compile option: the compiled evaluation gives evaluate's eager numbers (bit for bit on cpu),
// 'auto' records only code marked replayable, and bad input is still rejected with the loss's typed error.
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader } from '@logitlab/datasets';
import { backendDataIds } from '@logitlab/backends/compat';
import { BatchNorm1d, Linear, manualSeed, ReLU, Sequential } from '@logitlab/layers';
import { crossEntropy, TargetOutOfBoundsError } from '@logitlab/losses';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchAccuracy } from '../batch-metrics';
import { evaluate, type EvaluateOptions } from '../evaluate';
import { fit } from '../fit';
import { blobs, loader } from '../test-helpers';
import type { BatchMetric } from '../types';
import { type CompiledForwardStats, ForwardPlans } from './forward-plans';

const model = () => {
  manualSeed(7);
  return new Sequential(new Linear(2, 16), new BatchNorm1d(16), new ReLU(), new Linear(16, 2));
};
const METRICS: Record<string, BatchMetric<tf.Tensor>> = { loss: crossEntropy, accuracy: batchAccuracy };
const half: BatchMetric<tf.Tensor> = () => 0.5;

/** The stats of every set of forward plans disposed while `body` runs. */
async function plansOf<T>(body: () => Promise<T>): Promise<{ result: T; plans: CompiledForwardStats[] }> {
  const plans: CompiledForwardStats[] = [];
  const dispose = ForwardPlans.prototype.dispose;
  vi.spyOn(ForwardPlans.prototype, 'dispose').mockImplementation(function (this: ForwardPlans) {
    plans.push({ ...this.stats });
    dispose.call(this);
  });
  try {
    return { result: await body(), plans };
  } finally {
    vi.restoreAllMocks();
  }
}

/** evaluate, with the stats of every compiled evaluation it ran (none: it ran eagerly). */
async function run(options: EvaluateOptions<Sequential, tf.Tensor>, metrics = METRICS, data = loader(70, 5, 16, false)) {
  const plans: CompiledForwardStats[] = [];
  const dispose = ForwardPlans.prototype.dispose;
  vi.spyOn(ForwardPlans.prototype, 'dispose').mockImplementation(function (this: ForwardPlans) {
    plans.push({ ...this.stats });
    dispose.call(this);
  });
  const m = model();
  try {
    return { ...(await evaluate(m, data, metrics, options)), plans };
  } finally {
    m.dispose();
    vi.restoreAllMocks();
  }
}

/** Three epochs of fit with validation, and the stats of every set of forward plans it disposed. */
async function fitOnce(compile: boolean) {
  const m = model();
  const optimizer = tf.train.sgd(0.1);
  const validation = { data: loader(40, 5, 16, false), metrics: { accuracy: batchAccuracy } };
  try {
    return await plansOf(() => fit(m, { loss: crossEntropy, optimizer, data: loader(32, 4), epochs: 3, seed: 1, validation, compile }));
  } finally {
    m.dispose();
    optimizer.dispose();
  }
}

describe("evaluate's compile option", () => {
  afterEach(() => vi.restoreAllMocks());

  it("'auto' compiles the library's layers, loss and accuracy: the same metrics and outputs as compile: false, leaking nothing", async () => {
    const eager = await run({ compile: false, collect: true });
    const tensors = tf.memory().numTensors;
    const ids = backendDataIds();
    const compiled = await run({ collect: true });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backendDataIds()).toBe(ids);
    expect(eager.plans).toEqual([]);
    // 70 samples in batches of 16: four full batches and one of 6, each shape traced once
    expect(compiled.plans).toMatchObject([{ traces: 2, replays: 3, eager: 0, fallbacks: [] }]);
    expect(compiled.metrics).toEqual(eager.metrics);
    for (const k of Object.keys(eager.metrics)) expect(Object.is(compiled.metrics[k], eager.metrics[k])).toBe(true);
    expect(compiled.count).toBe(70);
    expect(Array.from(compiled.outputs!)).toEqual(Array.from(eager.outputs!));
    expect(Array.from(compiled.targets!)).toEqual(Array.from(eager.targets!));
  });

  it("'auto' stays eager for a metric of the user's own (a replay would skip its JavaScript); true compiles it", async () => {
    let calls = 0;
    const counting: BatchMetric<tf.Tensor> = (out) => {
      calls++;
      return tf.mean(out);
    };
    const auto = await run({}, { ...METRICS, counting });
    expect(auto.plans).toEqual([]);
    expect(calls).toBe(5);
    const forced = await run({ compile: true }, { ...METRICS, counting });
    expect(forced.plans).toMatchObject([{ traces: 2, replays: 3 }]);
    expect(forced.metrics).toEqual(auto.metrics);
  });

  it('a metric that returns a number is added on the host: compile: true runs it eagerly and says why once', async () => {
    const told: string[] = [];
    const eager = await run({ compile: false }, { ...METRICS, half });
    const compiled = await run({ compile: true, onFallback: (r) => told.push(r) }, { ...METRICS, half }, loader(160, 5, 16, false));
    expect(eager.metrics['half']).toBe(0.5);
    expect(compiled.metrics['half']).toBe(0.5);
    expect(compiled.plans[0]).toMatchObject({ replays: 0 });
    expect(told).toEqual(['metric "half" returned a number (a replay would not add it)']);
  });

  it("fit's validation keeps one set of plans for the whole run (a trace per batch shape, not per epoch)", async () => {
    const eager = await fitOnce(false);
    const compiled = await fitOnce(true);
    expect(eager.plans).toEqual([]);
    // 3 epochs of 40 samples in batches of 16, 16 and 8: two shapes traced once each, every other batch replayed
    expect(compiled.plans).toMatchObject([{ traces: 2, replays: 7, eager: 0 }]);
    expect(compiled.result.history).toEqual(eager.result.history.map((h, i) => ({ ...h, seconds: compiled.result.history[i]!.seconds })));
  });

  it('rejects a target out of range with the loss’s typed error, compiled or not, leaking nothing', async () => {
    const { x } = blobs(48, 2);
    const y = new Int32Array(48);
    y[40] = 5; // two classes: index 5 is out of range, in the third batch
    const bad = () => new DataLoader({ x, xShape: [2], y, yShape: [] }, { batchSize: 16, shuffle: false });
    const tensors = tf.memory().numTensors;
    await expect(run({ compile: false }, METRICS, bad())).rejects.toBeInstanceOf(TargetOutOfBoundsError);
    const compiled = run({ compile: true }, METRICS, bad());
    await expect(compiled).rejects.toBeInstanceOf(TargetOutOfBoundsError);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
