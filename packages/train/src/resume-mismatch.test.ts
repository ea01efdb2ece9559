import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '@logitlab/losses';
import { ArchitectureMismatchError, checkpoint, fit, memoryStorage } from './index';
import { loader, mlp } from './test-helpers';

const ce = (o: tf.Tensor, y: tf.Tensor) => crossEntropy(o, y);

describe('resuming from a checkpoint of another model', () => {
  it('reports the architecture mismatch, not the (also different) seed', async () => {
    const storage = memoryStorage();
    const a = mlp(1);
    await fit(a, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(16, 1, 16),
      epochs: 1,
      seed: 5,
      arch: 'A',
      callbacks: [checkpoint({ storage })],
    });
    const b = mlp(1);
    const error = await fit(b, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(16, 1, 16),
      epochs: 2,
      seed: 6,
      arch: 'B',
      resume: storage,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchitectureMismatchError);
    expect((error as Error).message).toMatch(/holds a A, but this model is a B/);
    a.dispose();
    b.dispose();
  });
});
