// fit's options that gave raw TypeErrors (optimizer: undefined, data: {}, a non-function loss, a loss
// returning a number) or were accepted silently (an empty loader "completed" with loss NaN, validation
// every: 0): each is a TrainError naming the option and the value, and nothing leaks.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '@logitlab/losses';
import { DataLoader } from '@logitlab/datasets';
import { fit, TrainError } from './index';
import { loader, mlp, weights } from './test-helpers';

async function refusal(run: () => Promise<unknown>): Promise<TrainError> {
  const err = await run().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TrainError);
  return err as TrainError;
}

describe('fit refuses options of the wrong kind, typed, before training', () => {
  const cases: Record<string, [Record<string, unknown>, RegExp]> = {
    'optimizer: undefined': [{ optimizer: undefined }, /optimizer must be a tf\.train optimizer .*; got undefined/],
    'optimizer: {}': [{ optimizer: {} }, /optimizer must be a tf\.train optimizer .*; got an object \(no keys\)/],
    'data: {}': [{ data: {} }, /data must be an iterable or async iterable .*; got an object \(no keys\)/],
    'data: null': [{ data: null }, /data must be an iterable .*; got null/],
    'loss: a string': [{ loss: 'crossEntropy' }, /loss must be a function .*; got a string \(crossEntropy\)/],
    'loss: undefined': [{ loss: undefined }, /loss must be a function .*; got undefined/],
    'forward: a number': [{ forward: 3 }, /forward must be a function when given; got a number \(3\)/],
    'callbacks: an object': [{ callbacks: {} }, /callbacks must be an array; got an object/],
    'validation.every: 0': [
      { validation: { data: loader(16, 2), every: 0 } },
      /validation\.every must be a positive integer; got a number \(0\)/,
    ],
    'validation.every: 1.5': [{ validation: { data: loader(16, 2), every: 1.5 } }, /validation\.every must be a positive integer/],
    'validation.data: {}': [{ validation: { data: {} } }, /validation\.data must be an iterable/],
    'validation.metrics.acc: 1': [
      { validation: { data: loader(16, 2), metrics: { acc: 1 } } },
      /validation metric "acc" must be a function/,
    ],
  };
  for (const [what, [patch, message]] of Object.entries(cases)) {
    it(what, async () => {
      const model = mlp(1);
      const optimizer = tf.train.sgd(0.1);
      const before = weights(model);
      const n = tf.memory().numTensors;
      const err = await refusal(() => fit(model, { loss: crossEntropy, optimizer, data: loader(16, 1), epochs: 1, ...patch } as never));
      expect(err.message).toMatch(message);
      expect(tf.memory().numTensors).toBe(n);
      expect(weights(model)).toEqual(before);
      model.dispose();
      optimizer.dispose();
    });
  }

  it('no options at all', async () => {
    const model = mlp(1);
    expect((await refusal(() => fit(model, undefined as never))).message).toMatch(/fit needs an options object .*; got undefined/);
    model.dispose();
  });
});

describe('fit refuses what it cannot train on', () => {
  it('an empty loader: a TrainError naming the epoch, not a "completed" run with loss NaN', async () => {
    const model = mlp(1);
    const optimizer = tf.train.sgd(0.1);
    const n = tf.memory().numTensors;
    const empty = new DataLoader({ x: new Float32Array(0), xShape: [2], y: new Int32Array(0), yShape: [] }, { batchSize: 4 });
    const err = await refusal(() => fit(model, { loss: crossEntropy, optimizer, data: empty, epochs: 2 }));
    expect(err.message).toMatch(/data yielded no batches in epoch 0 \(its length is 0\); expected at least one/);
    // a generator without a length, too
    const none = await refusal(() => fit(model, { loss: crossEntropy, optimizer, data: (function* () {})(), epochs: 1 }));
    expect(none.message).toMatch(/no batches in epoch 0; expected/);
    // an empty validation set would log val_loss NaN (and feed it to early stopping)
    const noValidation = await refusal(() =>
      fit(model, { loss: crossEntropy, optimizer, data: loader(16, 1), epochs: 1, validation: { data: empty } }),
    );
    expect(noValidation.message).toMatch(/fit's validation\.data yielded no batches in epoch 0 \(its length is 0\)/);
    expect(tf.memory().numTensors).toBe(n);
    model.dispose();
    optimizer.dispose();
  });

  it('a loss returning a number: typed, and the batch and tape are freed', async () => {
    const model = mlp(1);
    const optimizer = tf.train.sgd(0.1);
    const n = tf.memory().numTensors;
    const err = await refusal(() => fit(model, { loss: () => 0.5 as never, optimizer, data: loader(16, 1), epochs: 1 }));
    expect(err.message).toMatch(/loss returned a number \(0\.5\); expected a scalar tf\.Tensor/);
    expect(tf.memory().numTensors).toBe(n);
    model.dispose();
    optimizer.dispose();
  });
});
