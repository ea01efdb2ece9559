import * as tf from '@tensorflow/tfjs-core';
import { backendDataIds } from '@logitlab/backends/compat';
import { BatchNorm1d, Linear, manualSeed, ReLU, Sequential, withForwardHook } from '@logitlab/layers';
import { crossEntropy } from '@logitlab/losses';
import { afterEach, describe, expect, it } from 'vitest';
import { trainStep, type StepOptions } from '../step';
import { blobs, mlp } from '../test-helpers';
import type { Batch } from '../types';
import { compileStep } from './compiled-step';

type Model = Sequential;
type Options = Omit<StepOptions<Model>, 'optimizer'>;

/** Batches of the two-blob data, sized as given (same data for both runs). */
function batches(sizes: number[]): Array<{ x: Float32Array; y: Int32Array; n: number }> {
  const { x, y } = blobs(
    sizes.reduce((a, b) => a + b, 0),
    7,
  );
  let at = 0;
  return sizes.map((n) => {
    const b = { x: x.slice(2 * at, 2 * (at + n)), y: y.slice(at, at + n), n };
    at += n;
    return b;
  });
}

const toBatch = (b: { x: Float32Array; y: Int32Array; n: number }): Batch => ({
  x: tf.tensor2d(b.x, [b.n, 2]),
  y: tf.tensor1d(b.y, 'int32'),
});
const bits = (values: Float32Array | number[]) => Array.from(new Uint32Array(Float32Array.from(values).buffer));

interface Run {
  losses: number[];
  weights: number[][];
  stats?: ReturnType<typeof compileStep>['stats'];
}

/**
 * Trains a fresh copy of `make()` on `data` eagerly (trainStep) or compiled, from the same seed; the
 * learning rate halves every 10 steps (a scheduler's runtime scalar).
 */
function train(compiled: boolean, make: () => Model, optimizer: () => tf.Optimizer, data: ReturnType<typeof batches>, options: Options) {
  manualSeed(11);
  const model = make();
  manualSeed(12);
  const opt = optimizer();
  const base = opt.getConfig()['learningRate'] as number;
  const stepOptions: StepOptions<Model> = { ...options, optimizer: opt };
  const step = compiled ? compileStep(model, stepOptions, { onFallback: () => {} }) : undefined;
  const losses: number[] = [];
  data.forEach((b, i) => {
    (opt as unknown as { setLearningRate?: (lr: number) => void }).setLearningRate?.(base / 2 ** Math.floor(i / 10));
    if (!('setLearningRate' in opt)) (opt as unknown as { learningRate: number }).learningRate = base / 2 ** Math.floor(i / 10);
    const batch = toBatch(b);
    const loss = step ? step.step(batch) : trainStep(model, batch, stepOptions);
    losses.push(loss.dataSync()[0] as number);
    tf.dispose([loss, batch.x, batch.y]);
  });
  const run: Run = { losses, weights: model.parameters().map((p) => Array.from(p.dataSync())), stats: step?.stats };
  step?.dispose();
  model.dispose();
  opt.dispose();
  return run;
}

function expectSameRun(a: Run, b: Run) {
  expect(bits(b.losses)).toEqual(bits(a.losses));
  expect(b.weights.map(bits)).toEqual(a.weights.map(bits));
}

// validate: false: these tests count traces exactly, and the target check adds two outputs to every plan
const CROSS_ENTROPY: Options = { loss: (out, y) => crossEntropy(out as tf.Tensor, y, { validate: false }) };
const momentum = () => tf.train.momentum(0.1, 0.9);
const adam = () => tf.train.adam(0.01);
const sgd = () => tf.train.sgd(0.1);
const cumulativeBn = () => new Sequential(new Linear(2, 8), new BatchNorm1d(8, { momentum: null }), new Linear(8, 2));
const bnMlp = () => new Sequential(new Linear(2, 16), new BatchNorm1d(16), new ReLU(), new Linear(16, 2));

describe('compileStep (cpu): the same run as eager steps, bit for bit', () => {
  afterEach(() => tf.disposeVariables());

  it('SGD with momentum, dropout, 100 steps: losses and parameters bitwise, dropout masks redrawn each replay', () => {
    const data = batches(Array(100).fill(8));
    const eager = train(false, () => mlp(3, 0.3), momentum, data, CROSS_ENTROPY);
    const compiled = train(true, () => mlp(3, 0.3), momentum, data, CROSS_ENTROPY);
    expectSameRun(eager, compiled);
    expect(compiled.stats).toMatchObject({ eager: 1, traces: 1, replays: 99, fallbacks: [] });
    expect(compiled.stats?.plan?.hostDraws).toBe(1);
  });

  it('Adam with decoupled weight decay, clipping by value and norm, BatchNorm: 100 steps bitwise', () => {
    const data = batches(Array(100).fill(8));
    const options: Options = { ...CROSS_ENTROPY, weightDecay: { value: 0.01, mode: 'decoupled' }, gradClip: { value: 0.5, maxNorm: 1 } };
    const eager = train(false, bnMlp, adam, data, options);
    const compiled = train(true, bnMlp, adam, data, options);
    expectSameRun(eager, compiled);
    expect(compiled.stats).toMatchObject({ traces: 1, replays: 99 });
    expect(new Set(compiled.stats?.plan?.scalars)).toEqual(new Set(['negLr', 'shrink']));
  });

  it('re-traces when the batch size changes mid-epoch, and reuses both plans after', () => {
    const sizes = [8, 8, 8, 5, 8, 8, 5, 8];
    const data = batches(sizes);
    const eager = train(false, () => mlp(4, 0.2), sgd, data, { ...CROSS_ENTROPY, weightDecay: { value: 0.001, mode: 'l2' } });
    const compiled = train(true, () => mlp(4, 0.2), sgd, data, { ...CROSS_ENTROPY, weightDecay: { value: 0.001, mode: 'l2' } });
    expectSameRun(eager, compiled);
    expect(compiled.stats).toMatchObject({ eager: 1, traces: 2, replays: 7 });
  });

  it('falls back to eager steps, with the reason told once, when the step reads the host (BatchNorm momentum null)', () => {
    const data = batches(Array(6).fill(8));
    const eager = train(false, cumulativeBn, sgd, data, CROSS_ENTROPY);
    const compiled = train(true, cumulativeBn, sgd, data, CROSS_ENTROPY);
    expectSameRun(eager, compiled);
    // a host read may be a check that stops after a few calls (a pitfall check): traced again 2 steps later, then 4
    expect(compiled.stats).toMatchObject({ eager: 6, traces: 2, replays: 0 });
    expect(compiled.stats?.fallbacks).toEqual(['a host read (dataSync()) inside the step']);
  });

  it('falls back for the steps a guard refuses (a forward hook, an optimizer without a compiled form)', () => {
    manualSeed(5);
    const model = mlp(5);
    const told: string[] = [];
    const step = compileStep(model, { ...CROSS_ENTROPY, optimizer: tf.train.sgd(0.1) }, { onFallback: (r) => told.push(r) });
    const run = (b: Batch) => tf.dispose([step.step(b), b.x, b.y]);
    for (const b of batches([4, 4, 4])) run(toBatch(b));
    withForwardHook(
      (_m, input, forward) => forward(input),
      () => run(toBatch(batches([4])[0]!)),
    );
    expect(step.stats).toMatchObject({ eager: 2, traces: 1, replays: 2 });
    const rms = compileStep(model, { ...CROSS_ENTROPY, optimizer: tf.train.rmsprop(0.1) }, { onFallback: (r) => told.push(r) });
    const b = toBatch(batches([4])[0]!);
    tf.dispose([rms.step(b), b.x, b.y]);
    expect(told).toEqual(['a forward hook is active', 'optimizer RMSProp has no compiled form yet (SGD, Momentum and Adam do)']);
    step.dispose();
    rms.dispose();
    model.dispose();
  });

  it('leaks no tensors and no data ids per replayed step', () => {
    manualSeed(6);
    const model = mlp(6, 0.25);
    const optimizer = tf.train.adam(0.01);
    const step = compileStep(model, { ...CROSS_ENTROPY, optimizer });
    const data = batches(Array(6).fill(8));
    const run = (i: number) => {
      const b = toBatch(data[i]!);
      tf.dispose([step.step(b), b.x, b.y]);
    };
    run(0);
    run(1);
    run(2);
    const tensors = tf.memory().numTensors;
    const ids = backendDataIds();
    run(3);
    run(4);
    run(5);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backendDataIds()).toBe(ids);
    expect(optimizer.iterations).toBe(6);
    step.dispose();
    model.dispose();
    optimizer.dispose();
  });
});
