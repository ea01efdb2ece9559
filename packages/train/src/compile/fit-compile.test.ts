import * as tf from '@tensorflow/tfjs-core';
import { StepPlan } from '@logitlab/backends/compat';
import { crossEntropy } from '@logitlab/losses';
import { describe, expect, it, vi } from 'vitest';
import type { FitOptions } from '../fit';
import { checkpoint, fit, memoryStorage, oneCycleLR, type CheckpointStorage } from '../index';
import { loader, mlp, weights } from '../test-helpers';

type Model = ReturnType<typeof mlp>;
// the default target check: fit reads it with the losses, so it is no host read inside a compiled step
const ce = crossEntropy;

/**
 * The dropout MLP on a seeded loader whose last batch is smaller (96 samples in 7s: a re-trace every
 * epoch), Adam with a per-step one-cycle schedule, clipping by norm and decoupled weight decay.
 */
async function run(
  compile: FitOptions<Model>['compile'],
  epochs: number,
  io: { storage?: CheckpointStorage; resume?: CheckpointStorage } = {},
) {
  const model = mlp(11, 0.3);
  const optimizer = tf.train.adam(0.01);
  const res = await fit(model, {
    loss: ce,
    optimizer,
    data: loader(96, 12, 7),
    epochs,
    seed: 42,
    compile,
    gradClip: { maxNorm: 1 },
    weightDecay: { value: 0.01, mode: 'decoupled' },
    scheduler: oneCycleLR({ maxLr: 0.05, totalSteps: 4 * 14 }),
    callbacks: io.storage ? [checkpoint({ storage: io.storage, keepLast: 2 })] : [],
    resume: io.resume,
  });
  const w = weights(model);
  optimizer.dispose();
  model.dispose();
  return { res, w };
}

describe('fit({ compile })', () => {
  it('is the same run as eager, bit for bit on cpu (schedule, clipping, decay, dropout, a smaller last batch)', async () => {
    const eager = await run(false, 3);
    const before = tf.memory().numTensors;
    const compiled = await run(true, 3);
    expect(tf.memory().numTensors).toBe(before);
    expect(compiled.res.losses).toEqual(eager.res.losses);
    expect(compiled.w).toEqual(eager.w);
    expect((await run('auto', 3)).w).toEqual(eager.w);
  });

  it('writes checkpoints that resume bit-identically, compiled or eager', async () => {
    const full = await run(false, 4);
    for (const resumeCompiled of [true, false]) {
      const storage = memoryStorage();
      await run(true, 2, { storage });
      const resumed = await run(resumeCompiled, 4, { resume: storage });
      expect(resumed.res.losses, `resumed ${resumeCompiled ? 'compiled' : 'eager'}`).toEqual(full.res.losses.slice(28));
      expect(resumed.w).toEqual(full.w);
    }
  });

  it('compiles accumulation too (micro-steps and optimiser steps apart), quietly', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const replays = vi.spyOn(StepPlan.prototype, 'replay');
    try {
      const model = mlp(3);
      const optimizer = tf.train.sgd(0.1);
      await fit(model, { loss: ce, optimizer, data: loader(32, 1, 8), epochs: 1, compile: true, accumulateSteps: 2 });
      expect(warn).not.toHaveBeenCalled();
      // 4 micro-steps and 2 optimiser steps; the first group (2 + 1) is eager
      expect(replays).toHaveBeenCalledTimes(3);
      optimizer.dispose();
      model.dispose();
    } finally {
      warn.mockRestore();
      replays.mockRestore();
    }
  });
});
