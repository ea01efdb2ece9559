// crossEntropy's default target check (validate: true) without a host read in the step: fit collects
// it with the loss and reads it with the losses, so compiled steps replay it and a bad target still
// ends training with the loss's typed error.
import * as tf from '@tensorflow/tfjs-core';
import { setPitfallWarnings } from '@logitlab/core';
import { crossEntropy, TargetOutOfBoundsError } from '@logitlab/losses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fit } from '../fit';
import { blobs, mlp } from '../test-helpers';
import type { Batch } from '../types';
import { compileStep } from './compiled-step';

/** `n` batches of 8 two-blob samples; batch `bad` (if any) has one target of class 7 (the model has 2). */
function batches(n: number, bad = -1): Batch[] {
  const { x, y } = blobs(8 * n, 3);
  return Array.from({ length: n }, (_, i) => {
    const labels = y.slice(8 * i, 8 * i + 8);
    if (i === bad) labels[5] = 7;
    return { x: tf.tensor2d(x.slice(16 * i, 16 * i + 16), [8, 2]), y: tf.tensor1d(labels, 'int32') };
  });
}

describe('target checks read with the losses, not inside the step', () => {
  // the pitfall guards' row samples are host reads of their own on a call site's first calls
  beforeAll(() => setPitfallWarnings(false));
  afterAll(() => setPitfallWarnings(true));

  it('a compiled step with the default crossEntropy replays (the check is an output of the plan)', () => {
    const model = mlp(4);
    const optimizer = tf.train.sgd(0.1);
    const step = compileStep(model, { loss: crossEntropy, optimizer }, { onFallback: () => {} });
    const data = batches(6, 5);
    for (const b of data.slice(0, 5)) tf.dispose([step.step(b), b.x, b.y]);
    expect(step.stats).toMatchObject({ eager: 1, traces: 1, replays: 4, fallbacks: [] });
    const before = tf.memory().numTensors;
    // a replayed step judges the replayed check: the loss's typed error, nothing left behind
    expect(() => step.step(data[5]!)).toThrow(new TargetOutOfBoundsError(7, 2).message);
    expect(step.stats.replays).toBe(5);
    tf.dispose([data[5]!.x, data[5]!.y]);
    expect(tf.memory().numTensors).toBe(before - 2);
    step.dispose();
    model.dispose();
    optimizer.dispose();
  });

  for (const compile of [false, true]) {
    it(`fit${compile ? ' (compiled)' : ''} rejects with TargetOutOfBoundsError at the next loss read, leaking nothing`, async () => {
      const model = mlp(5);
      const optimizer = tf.train.sgd(0.1);
      await fit(model, { loss: crossEntropy, optimizer, data: batches(2), epochs: 1, compile }); // warm-up
      const data = batches(6, 3);
      const before = tf.memory().numTensors;
      let steps = 0;
      const run = fit(model, {
        loss: crossEntropy,
        optimizer,
        data,
        epochs: 1,
        checkEvery: 5,
        compile,
        callbacks: [{ onBatchEnd: () => void steps++ }],
      });
      await expect(run).rejects.toThrow(TargetOutOfBoundsError);
      // read with the losses at the 5th step: the steps in between ran, as with the NaN check
      expect(steps).toBe(4);
      // fit took the first five batches and disposed them
      tf.dispose(data.flatMap((b) => [b.x, b.y]));
      expect(tf.memory().numTensors).toBe(before - 12);
      model.dispose();
      optimizer.dispose();
    });
  }
});
