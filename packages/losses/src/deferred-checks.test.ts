// Inside a training loop's check collection (fit opens one around each step) the losses' range checks
// hand their device values over instead of reading them back: no host read in the step, same typed error.
import * as tf from '@tensorflow/tfjs-core';
import { collectChecks, firstFailedCheck, setPitfallWarnings } from '@logitlab/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { binaryCrossEntropy } from './bce';
import { crossEntropy } from './cross-entropy';
import { LossValueError, TargetOutOfBoundsError } from './errors';
import { nllLoss } from './nll';

const logits = () => tf.tensor2d([0.5, -1, 2, 0.1, 0.3, -0.2], [2, 3]);

/** Runs `loss` inside a collection with reads counted; returns the failed check's error and the read count. */
function collected(loss: () => tf.Tensor) {
  const reads = vi.spyOn(tf.Tensor.prototype, 'dataSync');
  const before = tf.memory().numTensors;
  try {
    const { result, checks } = collectChecks(() => tf.tidy(loss));
    const syncReads = reads.mock.calls.length;
    const values = checks.flatMap((c) => Array.from(c.values.dataSync()));
    const error = firstFailedCheck(checks, values);
    tf.dispose([result, ...checks.map((c) => c.values)]);
    expect(tf.memory().numTensors).toBe(before);
    return { error, syncReads, checks: checks.length };
  } finally {
    reads.mockRestore();
  }
}

describe('loss range checks inside a check collection', () => {
  // the pitfall guards sample rows with a read of their own on a call site's first calls
  beforeAll(() => setPitfallWarnings(false));
  afterAll(() => setPitfallWarnings(true));

  it('crossEntropy and nllLoss defer the target range: no read in the loss, the same typed error after', () => {
    const cases: Array<[number[], number]> = [
      [[0, 5], 5],
      [[-3, 1], -3],
    ];
    for (const [t, bad] of cases) {
      const ce = collected(() => crossEntropy(logits(), tf.tensor1d(t, 'int32')));
      expect(ce.syncReads).toBe(0);
      expect(ce.error).toEqual(new TargetOutOfBoundsError(bad, 3));
      const nll = collected(() => nllLoss(tf.logSoftmax(logits()), tf.tensor1d(t, 'int32')));
      expect(nll.syncReads).toBe(0);
      expect(nll.error).toBeInstanceOf(TargetOutOfBoundsError);
    }
    // the ignore index is not a target to check
    expect(collected(() => crossEntropy(logits(), tf.tensor1d([2, -100], 'int32')))).toEqual({ error: undefined, syncReads: 0, checks: 1 });
  });

  it('binaryCrossEntropy defers the probability range the same way', () => {
    const bad = collected(() => binaryCrossEntropy(tf.tensor1d([1.5, 0.2]), tf.tensor1d([1, 0])));
    expect(bad.syncReads).toBe(0);
    expect(bad.error).toBeInstanceOf(LossValueError);
    expect(bad.error?.message).toMatch(/between 0 and 1, got range \[0\.2.*, 1\.5\]/);
    expect(collected(() => binaryCrossEntropy(tf.tensor1d([0.5]), tf.tensor1d([1]))).error).toBeUndefined();
  });

  it('validate: false defers nothing', () => {
    expect(collected(() => crossEntropy(logits(), tf.tensor1d([0, 5], 'int32'), { validate: false }))).toEqual({
      error: undefined,
      syncReads: 0,
      checks: 0,
    });
  });
});
