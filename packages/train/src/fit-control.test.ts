import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '@logitlab/losses';
import { fit, PauseController, TrainError } from './index';
import { loader, mlp, weights } from './test-helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Trains 2 epochs, pausing for 60 ms after step `pauseAt` (when given). */
async function run(pauseAt?: number) {
  const model = mlp(2);
  const pause = new PauseController();
  const seen: number[] = [];
  let ticks = 0;
  const promise = fit(model, {
    loss: crossEntropy,
    optimizer: tf.train.sgd(0.1),
    data: loader(64, 2, 16),
    epochs: 2,
    seed: 3,
    pause,
    callbacks: [
      {
        onBatchEnd: (ctx) => {
          seen.push(ctx.step);
          if (ctx.step === pauseAt) pause.pause();
        },
      },
    ],
  });
  if (pauseAt !== undefined) {
    const timer = setInterval(() => ticks++, 5);
    while (!pause.paused) await sleep(1);
    await sleep(60);
    clearInterval(timer);
    expect(seen.at(-1)).toBe(pauseAt); // no step while paused
    expect(ticks).toBeGreaterThan(0); // timers kept running: fit awaits, the event loop is free
    pause.resume();
  }
  const res = await promise;
  const w = weights(model);
  model.dispose();
  return { res, w, seen };
}

describe('fit: abort, pause, failing losses', () => {
  it('stops at the next step boundary when the signal aborts, mid-epoch, without leaking', async () => {
    const model = mlp(1);
    const optimizer = tf.train.sgd(0.1);
    await fit(model, { loss: crossEntropy, optimizer, data: loader(64, 1, 16), epochs: 1 }); // warm-up
    const before = tf.memory().numTensors;
    const ac = new AbortController();
    let batches = 0;
    const res = await fit(model, {
      loss: crossEntropy,
      optimizer,
      data: loader(64, 1, 16), // 4 batches per epoch
      epochs: 5,
      signal: ac.signal,
      callbacks: [{ onBatchEnd: () => void (++batches === 6 && ac.abort()) }],
    });
    expect(res.stopReason).toBe('aborted');
    expect(res.steps).toBe(6); // epoch 1, batch 1: no further step ran
    expect(res.losses).toHaveLength(6);
    expect(res.history.map((h) => h.epoch)).toEqual([0]); // the partial epoch is not logged
    expect(tf.memory().numTensors).toBe(before);
    const done = await fit(model, { loss: crossEntropy, optimizer, data: loader(64, 1, 16), epochs: 1, signal: AbortSignal.abort() });
    expect(done).toMatchObject({ stopReason: 'aborted', steps: 0 });
    optimizer.dispose();
    model.dispose();
  });

  it('reports completed when every epoch ran', async () => {
    const model = mlp(1);
    const res = await fit(model, { loss: crossEntropy, optimizer: tf.train.sgd(0.1), data: loader(32, 1, 16), epochs: 1 });
    expect(res.stopReason).toBe('completed');
    model.dispose();
  });

  it('pauses between steps without blocking the event loop, then resumes to the same result', async () => {
    const plain = await run();
    const paused = await run(3);
    expect(paused.seen).toEqual(plain.seen);
    expect(paused.res.losses).toEqual(plain.res.losses);
    expect(paused.w).toEqual(plain.w);
  });

  it('abort while paused stops the run', async () => {
    const model = mlp(3);
    const pause = new PauseController();
    const ac = new AbortController();
    pause.pause();
    const promise = fit(model, {
      loss: crossEntropy,
      optimizer: tf.train.sgd(0.1),
      data: loader(32, 1, 16),
      epochs: 3,
      pause,
      signal: ac.signal,
    });
    await sleep(20);
    ac.abort();
    await expect(promise).resolves.toMatchObject({ stopReason: 'aborted', steps: 0 });
    model.dispose();
  });

  it('frees every tensor when the loss throws mid-run (tfjs minimize leaks the gradient tape)', async () => {
    const model = mlp(4);
    const optimizer = tf.train.adam(0.01);
    await fit(model, { loss: crossEntropy, optimizer, data: loader(32, 1, 16), epochs: 1 }); // slots exist
    const before = tf.memory().numTensors;
    let calls = 0;
    const failing = (logits: tf.Tensor, y: tf.Tensor) => {
      const l = crossEntropy(logits, y);
      if (++calls === 3) throw new TrainError('loss failed on purpose');
      return l;
    };
    await expect(
      fit(model, { loss: failing, optimizer, data: loader(64, 1, 16), epochs: 2, accumulateSteps: 2, gradClip: { maxNorm: 1 } }),
    ).rejects.toThrow('loss failed on purpose');
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    model.dispose();
  });

  it('rejects bad per-step options with typed errors naming the value', async () => {
    const model = mlp(5);
    const o = { loss: crossEntropy, optimizer: tf.train.sgd(0.1), data: loader(16, 1, 16), epochs: 1 };
    await expect(fit(model, { ...o, accumulateSteps: 0 })).rejects.toThrow(/accumulateSteps must be a positive integer; got 0/);
    await expect(fit(model, { ...o, gradClip: { maxNorm: -1 } })).rejects.toThrow(TrainError);
    await expect(fit(model, { ...o, weightDecay: { value: 0.1, mode: 'adamw' as 'l2' } })).rejects.toThrow(/weightDecay.mode/);
    model.dispose();
  });
});
