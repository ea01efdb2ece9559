import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy, mseLoss } from '@logitlab/losses';
import { Linear, Module } from '@logitlab/layers';
import { batchAccuracy, evaluate, fit, NonFiniteLossError, TrainError } from './index';
import { loader, mlp } from './test-helpers';

describe('fit', () => {
  it('trains a tiny MLP on a toy problem, with validation, without leaking tensors', async () => {
    const model = mlp(1);
    const optimizer = tf.train.adam(0.05);
    const data = loader(256, 1);
    const val = loader(128, 2, 64, false);
    const res = await fit(model, {
      loss: crossEntropy,
      optimizer,
      data,
      epochs: 6,
      seed: 1,
      validation: { data: val, metrics: { accuracy: batchAccuracy } },
    });
    expect(res.history).toHaveLength(6);
    expect(res.steps).toBe(6 * 16);
    expect(res.losses).toHaveLength(96);
    expect(res.history[5]!.loss).toBeLessThan(res.history[0]!.loss);
    expect(res.history[5]!['val_accuracy']).toBeGreaterThan(0.95);
    const { metrics, count } = await evaluate(model, val, { accuracy: batchAccuracy, loss: crossEntropy });
    expect(count).toBe(128);
    expect(metrics['accuracy']).toBeGreaterThan(0.95);
    expect(metrics['loss']).toBeCloseTo(res.history[5]!['val_loss']!, 5);
    optimizer.dispose();
    model.dispose();
  });

  it('leaves no tensor behind: one fit of a model with SGD', async () => {
    const model = mlp(2);
    const optimizer = tf.train.sgd(0.1);
    const data = loader(64, 3);
    await fit(model, { loss: crossEntropy, optimizer, data, epochs: 1, checkEvery: 3 }); // warm-up: kernels, constants
    const before = tf.memory().numTensors;
    await fit(model, {
      loss: crossEntropy,
      optimizer,
      data,
      epochs: 2,
      checkEvery: 3,
      validation: { data, metrics: { accuracy: batchAccuracy } },
    });
    await evaluate(model, data, { accuracy: batchAccuracy }, { collect: true });
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    model.dispose();
  });

  it('sets train mode for steps and eval mode for validation and evaluate, then restores the mode', async () => {
    class Probe extends Module {
      readonly seen: boolean[] = [];
      readonly fc = this.registerModule('fc', new Linear(2, 2));
      forward(x: tf.Tensor): tf.Tensor {
        this.seen.push(this.training);
        return this.fc.call(x);
      }
    }
    const model = new Probe();
    model.eval();
    const optimizer = tf.train.sgd(0.1);
    const data = loader(32, 4, 16);
    await fit(model, { loss: crossEntropy, optimizer, data, epochs: 1, validation: { data } });
    // 2 training steps in train mode, then 2 validation batches in eval mode
    expect(model.seen).toEqual([true, true, false, false]);
    expect(model.training).toBe(false); // restored
    model.train();
    model.seen.length = 0;
    await evaluate(model, data, { accuracy: batchAccuracy });
    expect(model.seen).toEqual([false, false]);
    expect(model.training).toBe(true);
    optimizer.dispose();
    model.dispose();
  });

  for (const checkEvery of [1, 4]) {
    it(`stops with NonFiniteLossError naming epoch, step and batch (checkEvery ${checkEvery})`, async () => {
      const model = mlp(3);
      const optimizer = tf.train.sgd(0.1);
      const data = loader(64, 5, 16); // 4 batches per epoch
      let calls = 0;
      const poisoned = (logits: tf.Tensor, y: tf.Tensor) => {
        const l = crossEntropy(logits, y);
        return calls++ === 5 ? tf.mul(l, Number.NaN) : l; // step 5 = epoch 1, batch 1
      };
      const before = tf.memory().numTensors;
      const err = await fit(model, { loss: poisoned, optimizer, data, epochs: 3, checkEvery }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NonFiniteLossError);
      expect(err).toMatchObject({ name: 'NonFiniteLossError', epoch: 1, step: 5, batch: 1 });
      expect(Number.isNaN((err as NonFiniteLossError).loss)).toBe(true);
      expect((err as Error).message).toMatch(/epoch 1, step 5 \(batch 1/);
      // detection granularity: with checkEvery 1 it stops right after step 5; with 4 at the read after step 7
      expect(calls).toBe(checkEvery === 1 ? 6 : 8);
      expect(tf.memory().numTensors).toBe(before);
      optimizer.dispose();
      model.dispose();
    });
  }

  it('rejects a loss that is not a scalar', async () => {
    const model = mlp(4);
    const optimizer = tf.train.sgd(0.1);
    const err = await fit(model, {
      loss: (o, y) => crossEntropy(o, y, { reduction: 'none' }),
      optimizer,
      data: loader(16, 1),
      epochs: 1,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainError);
    expect((err as Error).message).toMatch(/expected a scalar/);
    optimizer.dispose();
    model.dispose();
  });

  it('runs afterStep after every optimiser step (bias projection)', async () => {
    const model = mlp(5);
    const optimizer = tf.train.sgd(0.5);
    let calls = 0;
    const project = (m: Module) => {
      calls++;
      for (const [name, p] of m.namedParameters()) if (name.endsWith('bias')) p.assign(tf.minimum(p, 0));
    };
    await fit(model, { loss: crossEntropy, optimizer, data: loader(64, 6, 16), epochs: 2, afterStep: project });
    expect(calls).toBe(8);
    for (const [name, p] of model.namedParameters()) if (name.endsWith('bias')) expect(p.max().arraySync()).toBeLessThanOrEqual(0);
    optimizer.dispose();
    model.dispose();
  });

  it('supports models with several outputs through forward + loss (an autoencoder-style objective)', async () => {
    class TwoHeads extends Module {
      readonly enc = this.registerModule('enc', new Linear(2, 1));
      readonly dec = this.registerModule('dec', new Linear(1, 2));
      forward(x: tf.Tensor): tf.Tensor {
        return this.dec.call(this.enc.call(x));
      }
      both(x: tf.Tensor): { recon: tf.Tensor; code: tf.Tensor } {
        const code = this.enc.call(x);
        return { recon: this.dec.call(code), code };
      }
    }
    const model = new TwoHeads();
    const optimizer = tf.train.adam(0.05);
    const res = await fit(model, {
      // reconstruction of the input plus a small penalty on the code: forward hands the loss both outputs and the input
      forward: (m, b) => ({ ...m.both(b.x), input: b.x }),
      loss: (o) => tf.add(mseLoss(o.recon, o.input), tf.mul(0.01, tf.mean(tf.square(o.code)))),
      optimizer,
      data: loader(128, 7, 32),
      epochs: 8,
      validation: { data: loader(64, 8, 64, false) },
    });
    expect(res.history[7]!.loss).toBeLessThan(0.6 * res.history[0]!.loss);
    expect(res.history[7]!['val_loss']).toBeDefined();
    optimizer.dispose();
    model.dispose();
  });
});
