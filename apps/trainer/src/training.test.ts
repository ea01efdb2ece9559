import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader } from '@logitlab/datasets';
import { Dropout, Linear, ReLU, Sequential, manualSeed } from '@logitlab/layers';
import { mseLoss } from '@logitlab/losses';
import { ArchitectureMismatchError, type Callback } from '@logitlab/train';
import { describe, expect, it } from 'vitest';
import type { ExperimentContext } from './context';
import { resolveCommonOptions } from './options';
import { RunDir } from './run-dir';
import { checkpointPrefix, trainModel } from './training';

const x = Float32Array.from({ length: 64 * 4 }, (_, i) => Math.sin(i));
const y = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i));

function setup(dir: string, resume: boolean, logs: string[] = []) {
  const ctx: ExperimentContext = {
    opts: resolveCommonOptions(resume ? { resume: dir } : {}),
    run: new RunDir(dir),
    seed: 3,
    backend: 'cpu',
    log: (l) => logs.push(l),
    progress: (): Callback => ({}),
  };
  manualSeed(resume ? 99 : 3); // a resumed run must take its weights from the checkpoint, not from init
  const model = new Sequential(new Linear(4, 8), new ReLU(), new Dropout(0.2), new Linear(8, 1));
  const optimizer = tf.train.momentum(0.05, 0.9); // has slot variables that must survive a resume
  const data = new DataLoader({ x, xShape: [4], y, yShape: [1] }, { batchSize: 16, shuffle: true, seed: 3 });
  const spec = {
    tag: 'tiny+mlp',
    arch: 'tiny-mlp',
    model,
    optimizer,
    data,
    loss: (o: tf.Tensor, t: tf.Tensor) => mseLoss(o, t),
    checkEvery: 2,
  };
  return { ctx, spec, dispose: () => (model.dispose(), optimizer.dispose()) };
}

function weights(spec: ReturnType<typeof setup>['spec']): number[] {
  return spec.model.parameters().flatMap((p) => Array.from(p.dataSync()));
}

describe('trainModel (fit with the run directory as storage)', () => {
  it('resumes from the last checkpoint exactly where an uninterrupted run would be, with the earlier losses restored', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-train-'));
    const full = setup(path.join(root, 'full'), false);
    const ref = await trainModel(full.ctx, { ...full.spec, epochs: 3 });
    const refWeights = weights(full.spec);
    full.dispose();
    expect(ref.steps.map((s) => s.step)).toEqual([...Array(12).keys()]);

    const dir = path.join(root, 'cut');
    const first = setup(dir, false);
    const before = tf.memory().numTensors;
    await trainModel(first.ctx, { ...first.spec, epochs: 2 });
    // the loop and the checkpoints leak nothing; momentum adds one slot variable per parameter
    expect(tf.memory().numTensors).toBe(before + first.spec.model.parameters().length);
    first.dispose();
    expect(fs.readdirSync(path.join(dir, 'checkpoints'))).toEqual([`${checkpointPrefix('tiny+mlp')}-epoch-00002.safetensors`]);
    // a killed run may have logged steps of epoch 2 after its last checkpoint: those are dropped
    first.ctx.run.logMetric({ type: 'step', tag: 'tiny+mlp', epoch: 2, step: 8, loss: 123 });

    const logs: string[] = [];
    const second = setup(dir, true, logs);
    const resumed = await trainModel(second.ctx, { ...second.spec, epochs: 3 });
    expect(logs).toContain('tiny+mlp: resumed from checkpoint after epoch 2/3');
    expect(resumed.resumedFromEpoch).toBe(2);
    expect(resumed.history.map((h) => h.epoch)).toEqual([0, 1, 2]);
    expect(resumed.history.map((h) => h.loss)).toEqual(ref.history.map((h) => h.loss)); // exact, not close
    expect(resumed.steps).toEqual(ref.steps);
    expect(weights(second.spec)).toEqual(refWeights);
    expect(second.spec.model.training).toBe(false); // left in eval mode
    second.dispose();
  });

  it('refuses a checkpoint of another architecture with a typed one-line error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-arch-'));
    const a = setup(dir, false);
    await trainModel(a.ctx, { ...a.spec, epochs: 1 });
    a.dispose();
    const b = setup(dir, true);
    const err = await trainModel(b.ctx, { ...b.spec, arch: 'something-else', epochs: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchitectureMismatchError);
    expect((err as Error).message).toMatch(/^checkpoint holds a tiny-mlp, but this model is a something-else;[^\n]*$/);
    b.dispose();
  });
});
