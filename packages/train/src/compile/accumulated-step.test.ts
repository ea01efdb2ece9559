import * as tf from '@tensorflow/tfjs-core';
import { backendDataIds } from '@logitlab/backends/compat';
import { crossEntropy } from '@logitlab/losses';
import { describe, expect, it } from 'vitest';
import { observeFit } from '../../../../scripts/test-utils/observe-fit';
import type { FitOptions } from '../fit';
import { fit } from '../index';
import { loader, mlp, weights } from '../test-helpers';
import { AccumulatedStep } from './accumulated-step';

type Model = ReturnType<typeof mlp>;
const momentum = () => tf.train.momentum(0.05, 0.9);

/**
 * The dropout MLP, 7 batches an epoch (the last smaller) in groups of `accumulateSteps` (the last group
 * shorter), with `options`; the replays, losses, weights, warnings and what was left once disposed.
 */
async function run(compile: FitOptions<Model>['compile'], options: Partial<FitOptions<Model>> = {}) {
  return observeFit(async () => {
    const model = mlp(5, 0.25);
    const optimizer = tf.train.adam(0.02);
    const res = await fit(model, {
      loss: crossEntropy,
      optimizer,
      data: loader(100, 6, 16),
      epochs: 3,
      seed: 7,
      compile,
      accumulateSteps: 3,
      gradClip: { maxNorm: 0.5 },
      weightDecay: { value: 0.05, mode: 'decoupled' },
      ...options,
    });
    const w = weights(model);
    optimizer.dispose();
    model.dispose();
    return { losses: res.losses, w, replays: res.compilation.replays };
  }, backendDataIds);
}

describe('fit({ accumulateSteps, compile })', () => {
  it('replays micro-steps and optimiser steps, bit for bit the eager run on cpu, leaking nothing', async () => {
    const eager = await run(false);
    expect(eager.replays).toBe(0);
    const compiled = await run(true);
    expect(compiled.warnings).toEqual([]);
    expect(compiled.leaked).toEqual({ tensors: 0, dataIds: 0 });
    // 21 micro-steps and 9 optimiser steps (groups of 3, 3 and 1 an epoch); the first group (3 + 1) is eager
    expect(compiled.replays).toBe(21 + 9 - 4);
    expect(compiled.losses).toEqual(eager.losses);
    expect(compiled.w).toEqual(eager.w);
    expect((await run('auto')).w).toEqual(eager.w);
  });

  it('with coupled L2 decay, clipping by value and SGD with momentum', async () => {
    const opts: Partial<FitOptions<Model>> = { gradClip: { value: 0.1 }, weightDecay: { value: 0.01, mode: 'l2' } };
    const eager = await run(false, { ...opts, optimizer: momentum() });
    const compiled = await run(true, { ...opts, optimizer: momentum() });
    expect(compiled.replays).toBeGreaterThan(0);
    expect(compiled.losses).toEqual(eager.losses);
    expect(compiled.w).toEqual(eager.w);
  });

  it('runs an optimizer without a compiled form eagerly, and says why once', async () => {
    const fallbacks: string[] = [];
    const model = mlp(2);
    const optimizer = tf.train.rmsprop(0.01);
    const step = new AccumulatedStep(model, { loss: crossEntropy, optimizer }, { onFallback: (r) => fallbacks.push(r) });
    const before = tf.memory().numTensors;
    for (const batch of loader(32, 1, 8)) {
      const { loss } = step.accumulate(batch);
      loss.dispose();
      tf.dispose([batch.x, batch.y]);
      if (step.pending === 2) step.apply();
    }
    expect(step.stats).toMatchObject({
      replays: 0,
      eager: 6,
      fallbacks: ['optimizer RMSProp has no compiled form yet (SGD, Momentum and Adam do)'],
    });
    expect(fallbacks).toEqual(['optimizer RMSProp has no compiled form yet (SGD, Momentum and Adam do)']);
    step.dispose();
    // the buffers are freed; only the optimiser's slots (made on its first step) stay until it is disposed
    optimizer.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    model.dispose();
  });
});
