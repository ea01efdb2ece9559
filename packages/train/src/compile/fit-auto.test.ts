// fit's default, compile: 'auto': compiled where a replay runs what the step runs (the library's losses,
// marked replayable), eager and quiet where it would skip the user's JavaScript.
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader } from '@logitlab/datasets';
import { Module } from '@logitlab/layers';
import { crossEntropy } from '@logitlab/losses';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmptyDataError } from '../errors';
import { evaluate } from '../evaluate';
import { fit } from '../fit';
import { replayable } from '../index';
import type { FitOptions } from '../loop/options';
import { loader, mlp, weights } from '../test-helpers';
import { CompiledStep } from './compiled-step';

type Model = ReturnType<typeof mlp>;

/** Three epochs of the dropout MLP (6 batches each, the last smaller) with `options`; counts compiled steps and warnings. */
async function run(options: Partial<FitOptions<Model>>) {
  const compiled = vi.spyOn(CompiledStep.prototype, 'run');
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const model = mlp(8, 0.2);
  const optimizer = tf.train.momentum(0.05, 0.9);
  try {
    // what a progress callback sees at each epoch's end: the live counts
    const live: number[] = [];
    const callbacks = [{ onEpochEnd: (ctx: { compilation: { replays: number } }) => void live.push(ctx.compilation.replays) }];
    const res = await fit(model, { loss: crossEntropy, optimizer, data: loader(88, 4, 16), epochs: 3, seed: 9, callbacks, ...options });
    return {
      compilation: res.compilation,
      live,
      losses: res.losses,
      w: weights(model),
      compiledSteps: compiled.mock.calls.length,
      warnings: warn.mock.calls.map((c) => String(c[0])),
    };
  } finally {
    compiled.mockRestore();
    warn.mockRestore();
    model.dispose();
    optimizer.dispose();
  }
}

describe("fit's default compile: 'auto'", () => {
  afterEach(() => vi.restoreAllMocks());

  it('compiles a library loss, and is the same run as compile: false, bit for bit on cpu', async () => {
    const eager = await run({ compile: false });
    const auto = await run({});
    expect(eager.compiledSteps).toBe(0);
    expect(auto.compiledSteps).toBe(18);
    expect(auto.losses).toEqual(eager.losses);
    expect(auto.w).toEqual(eager.w);
    expect(auto.warnings).toEqual([]);
    // fit says so: of 18 steps the first runs eagerly and the other 17 replay, two of them right after their
    // trace (one per batch size: 16, then the last 8)
    expect(eager.compilation).toEqual({ compiled: false, reason: 'compile: false', eager: 0, traces: 0, replays: 0, fallbacks: [] });
    expect(auto.compilation).toMatchObject({ compiled: true, eager: 1, traces: 2, replays: 17 });
    expect(auto.live).toEqual([5, 11, 17]);
  });

  it('steps a loss of the user’s own eagerly and quietly (a replay would skip its JavaScript), unless marked replayable', async () => {
    let calls = 0;
    const counting = (o: tf.Tensor, y: tf.Tensor) => (calls++, crossEntropy(o, y));
    const own = await run({ loss: counting });
    expect(own).toMatchObject({ compiledSteps: 0, warnings: [] });
    expect(own.compilation).toMatchObject({ compiled: false, reason: "compile 'auto': the loss is not marked replayable", replays: 0 });
    expect(calls).toBe(18);
    const marked = await run({ loss: replayable((o: tf.Tensor, y: tf.Tensor) => crossEntropy(o, y)) });
    expect(marked.compiledSteps).toBe(18);
    expect(marked.losses).toEqual(own.losses);
    // compile: true compiles what it is given and says why it cannot, once
    expect((await run({ loss: counting, compile: true })).compiledSteps).toBe(18);
    // accumulation compiles through AccumulatedStep (not CompiledStep), quietly
    const accumulated = await run({ accumulateSteps: 2, compile: true });
    expect(accumulated).toMatchObject({ compiledSteps: 0, warnings: [] });
    expect(accumulated.compilation.compiled).toBe(true);
    expect(accumulated.compilation.replays).toBeGreaterThan(0);
  });
});

describe("'auto' and the model's own modules", () => {
  // one rule with evaluate: a module of the user's may count its calls, and a replay would skip that
  class Counting extends Module {
    calls = 0;
    readonly inner = this.registerModule('inner', mlp(8));
    forward(x: tf.Tensor): tf.Tensor {
      this.calls++;
      return this.inner.call(x);
    }
  }
  class Wrapped extends Module {
    readonly inner = this.registerModule('inner', mlp(8));
    forward(x: tf.Tensor): tf.Tensor {
      return this.inner.call(x);
    }
  }
  replayable(Wrapped.prototype.forward);

  it("steps a model with an unmarked module's forward eagerly (every call runs), and compiles it once marked", async () => {
    const compiled = vi.spyOn(CompiledStep.prototype, 'run');
    for (const model of [new Counting(), new Wrapped()]) {
      const optimizer = tf.train.sgd(0.05);
      await fit(model, { loss: crossEntropy, optimizer, data: loader(88, 4, 16), epochs: 1, seed: 9 });
      optimizer.dispose();
      model.dispose();
    }
    // Counting: 6 batches, 6 forwards, nothing compiled; Wrapped: the same 6 batches through CompiledStep
    expect(compiled.mock.calls.length).toBe(6);
    compiled.mockRestore();
  });

  it('counts every forward of the unmarked model', async () => {
    const model = new Counting();
    const optimizer = tf.train.sgd(0.05);
    await fit(model, { loss: crossEntropy, optimizer, data: loader(88, 4, 16), epochs: 2, seed: 9 });
    expect(model.calls).toBe(12);
    optimizer.dispose();
    model.dispose();
  });
});

describe('evaluate on data with no batch', () => {
  it('is an EmptyDataError naming the length, not NaN metrics, and frees everything', async () => {
    const model = mlp(1);
    const before = tf.memory().numTensors;
    const empty = new DataLoader({ x: new Float32Array(0), xShape: [2], y: new Int32Array(0), yShape: [] }, { batchSize: 4 });
    const err = await evaluate(model, empty, { loss: crossEntropy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmptyDataError);
    expect((err as Error).message).toMatch(/evaluate's data yielded no batches \(its length is 0\); expected at least one/);
    await expect(evaluate(model, [], { loss: crossEntropy })).rejects.toThrow(EmptyDataError);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
