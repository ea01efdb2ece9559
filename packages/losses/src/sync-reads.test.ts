// On a backend without sync reads (webgpu in Node) a loss cannot wait for its optional data checks
// (target range, pitfall samples): they step aside there, and run everywhere else.
import * as tf from '@tensorflow/tfjs-core';
import { markNoSyncReads, syncReadsWork } from '@logitlab/core';
import { useBackend } from '@logitlab/backends';
import { describe, expect, it } from 'vitest';
import { registerNoSyncReadsBackend } from '../../../scripts/test-utils/no-sync-reads-backend';
import { TargetOutOfBoundsError } from './errors';
import { binaryCrossEntropy } from './bce';
import { crossEntropy } from './cross-entropy';
import { nllLoss } from './nll';

// a cpu backend whose tensors' sync reads throw, as webgpu's do in Node
const NO_SYNC = registerNoSyncReadsBackend();
markNoSyncReads(NO_SYNC);

const logits = () => tf.tensor2d([0.5, -1, 2, 0.1, 0.3, -0.2], [2, 3]);
const outOfRange = () => tf.tensor1d([0, 5], 'int32');

describe('losses without sync reads', () => {
  it('syncReadsWork follows the active backend', async () => {
    await useBackend('cpu');
    expect(syncReadsWork()).toBe(true);
    await tf.setBackend(NO_SYNC);
    expect(syncReadsWork()).toBe(false);
    await tf.setBackend('cpu');
  });

  it('the target range check runs where sync reads work', async () => {
    await useBackend('cpu');
    expect(() => tf.tidy(() => crossEntropy(logits(), outOfRange()))).toThrow(TargetOutOfBoundsError);
    expect(() => tf.tidy(() => nllLoss(tf.logSoftmax(logits()), outOfRange()))).toThrow(TargetOutOfBoundsError);
    expect(() => tf.tidy(() => binaryCrossEntropy(tf.tensor1d([1.5]), tf.tensor1d([1])))).toThrow(/between 0 and 1/);
  });

  it('and steps aside where they do not, computing the loss (no read, no leak)', async () => {
    await tf.setBackend(NO_SYNC);
    const before = tf.memory().numTensors;
    const losses = [
      tf.tidy(() => crossEntropy(logits(), tf.tensor1d([2, 0], 'int32'))),
      tf.tidy(() => nllLoss(tf.logSoftmax(logits()), tf.tensor1d([2, 0], 'int32'))),
      tf.tidy(() => binaryCrossEntropy(tf.tensor1d([0.25]), tf.tensor1d([1]))),
      // not checked there: an out-of-range target is the caller's to avoid
      tf.tidy(() => crossEntropy(logits(), outOfRange())),
    ];
    const values = await Promise.all(losses.map(async (l) => (await l.data())[0]!));
    expect(values[0]).toBeCloseTo(values[1]!, 6);
    expect(values[2]).toBeCloseTo(Math.log(4), 6);
    tf.dispose(losses);
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
  });
});
