import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '@logitlab/losses';
import { earlyStopping, fit, metricLogger, progress, type ProgressEvent } from './index';
import { loader, mlp, weights } from './test-helpers';

const ce = (logits: tf.Tensor, y: tf.Tensor) => crossEntropy(logits, y);

describe('earlyStopping', () => {
  it('stops after `patience` epochs without improvement and can restore the best weights', async () => {
    const model = mlp(1);
    const optimizer = tf.train.sgd(0.1);
    // a scripted validation score: best (lowest) at epoch 1, then worse
    const scores = [3, 2, 2.5, 2.6, 2.7, 2.8, 2.9];
    let epoch = 0;
    const snapshots: Record<number, Record<string, number[]>> = {};
    const stopper = earlyStopping({ monitor: 'val_score', patience: 2, restoreBestWeights: true });
    const res = await fit(model, {
      loss: ce,
      optimizer,
      data: loader(32, 1, 16),
      epochs: 7,
      validation: { data: loader(16, 2, 16, false), metrics: { score: () => scores[epoch]! } },
      callbacks: [{ onEpochEnd: (_c, logs) => void ((snapshots[logs.epoch] = weights(model)), epoch++) }, stopper],
    });
    expect(res.history.map((h) => h['val_score'])).toEqual([3, 2, 2.5, 2.6]);
    expect(res.stopReason).toBe('earlyStopping');
    expect(res.stopMessage).toMatch(/val_score did not improve for 2 epochs/);
    expect(res.epochs).toBe(4);
    expect(stopper.bestEpoch).toBe(1);
    expect(weights(model)).toEqual(snapshots[1]);
    optimizer.dispose();
    model.dispose();
  });

  it('names the missing monitor', async () => {
    const model = mlp(1);
    const err = await fit(model, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(16, 1, 16),
      epochs: 2,
      callbacks: [earlyStopping()],
    }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/monitors "val_loss" but the epoch logs have \[epoch, steps, loss, seconds\]/);
    model.dispose();
  });
});

describe('metricLogger', () => {
  it('writes one JSON line per step and per epoch', async () => {
    const lines: string[] = [];
    const model = mlp(1);
    const res = await fit(model, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(48, 1, 16),
      epochs: 2,
      checkEvery: 2,
      callbacks: [metricLogger((l) => void lines.push(l), { extra: { run: 'a' } })],
    });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const steps = parsed.filter((p) => p['type'] === 'step');
    expect(steps.map((s) => s['step'])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(steps.map((s) => s['loss'])).toEqual(res.losses);
    const epochs = parsed.filter((p) => p['type'] === 'epoch');
    expect(epochs.map((e) => e['epoch'])).toEqual([0, 1]);
    expect(epochs[1]).toMatchObject({ run: 'a', steps: 6, loss: res.history[1]!.loss });
    expect(parsed[0]!['time']).toMatch(/^\d{4}-\d\d-\d\dT/);
    model.dispose();
  });
});

describe('progress', () => {
  it('emits events with batch counts and ETA, and plain lines', async () => {
    const events: ProgressEvent[] = [];
    const lines: string[] = [];
    const model = mlp(1);
    await fit(model, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(64, 1, 16),
      epochs: 2,
      checkEvery: 1,
      callbacks: [progress({ onEvent: (e) => events.push(e), log: (l) => lines.push(l), intervalSeconds: 0 })],
    });
    expect(events.filter((e) => e.type === 'epoch-begin')).toHaveLength(2);
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.map((e) => e.batch)).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(steps[1]).toMatchObject({ batchesPerEpoch: 4, epochs: 2 });
    expect(steps[1]!.etaSeconds).toBeGreaterThanOrEqual(0);
    expect(steps.at(-1)!.loss).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^epoch 1\/2 batch 1\/4 .*samples\/s eta \d+s$/);
    expect(lines.filter((l) => /^epoch 2\/2 loss \S+ seconds/.test(l))).toHaveLength(1);
    model.dispose();
  });
});
