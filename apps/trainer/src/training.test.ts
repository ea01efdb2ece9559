import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader } from '@logitlab/datasets';
import { Dropout, Linear, ReLU, Sequential, manualSeed } from '@logitlab/layers';
import { mseLoss } from '@logitlab/losses';
import { describe, expect, it } from 'vitest';
import { checkpointPath } from './checkpoint';
import { UsageError } from './errors';
import type { ExperimentContext } from './experiments/types';
import { resolveCommonOptions } from './options';
import { Progress } from './progress';
import { RunDir } from './run-dir';
import { epochSeed, trainWithCheckpoints } from './training';

const x = Float32Array.from({ length: 64 * 4 }, (_, i) => Math.sin(i));
const y = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i));

function setup(dir: string, resume: boolean) {
  const ctx: ExperimentContext = {
    opts: resolveCommonOptions(resume ? { resume: dir } : {}),
    run: new RunDir(dir),
    seed: 3,
    backend: 'cpu',
    log: () => {},
    progress: () => new Progress({ tty: false, write: () => {} }),
  };
  manualSeed(3);
  const model = new Sequential(new Linear(4, 8), new ReLU(), new Dropout(0.2), new Linear(8, 1));
  const optimizer = tf.train.momentum(0.05, 0.9); // has slot variables that must survive a resume
  const data = new DataLoader({ x, xShape: [4], y, yShape: [1] }, { batchSize: 16, shuffle: true, seed: 3 });
  const spec = { tag: 'tiny', arch: 'tiny-mlp', model, optimizer, data, loss: (o: tf.Tensor, t: tf.Tensor) => mseLoss(o, t) as tf.Scalar, logEvery: 2 };
  return { ctx, spec, dispose: () => (model.dispose(), optimizer.dispose()) };
}

function weights(spec: ReturnType<typeof setup>['spec']): number[] {
  return spec.model.parameters().flatMap((p) => Array.from(p.dataSync()));
}

describe('training with checkpoints', () => {
  it('resumes from the last checkpoint exactly where an uninterrupted run would be', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-train-'));
    const full = setup(path.join(root, 'full'), false);
    const ref = await trainWithCheckpoints(full.ctx, { ...full.spec, epochs: 3 });
    const refWeights = weights(full.spec);
    full.dispose();

    const dir = path.join(root, 'cut');
    const first = setup(dir, false);
    const before = tf.memory().numTensors;
    await trainWithCheckpoints(first.ctx, { ...first.spec, epochs: 2 });
    // the loop and the checkpoints leak nothing; momentum adds one slot variable per parameter
    expect(tf.memory().numTensors).toBe(before + first.spec.model.parameters().length);
    first.dispose();
    expect(fs.existsSync(checkpointPath(dir, 'tiny'))).toBe(true);
    expect(fs.readdirSync(path.dirname(checkpointPath(dir, 'tiny')))).toEqual(['tiny.safetensors']);

    const second = setup(dir, true);
    const resumed = await trainWithCheckpoints(second.ctx, { ...second.spec, epochs: 3 });
    expect(resumed.resumedFromEpoch).toBe(2);
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    resumed.history.forEach((h, i) => expect(h.loss).toBeCloseTo(ref.history[i]!.loss, 6));
    const got = weights(second.spec);
    got.forEach((w, i) => expect(w).toBeCloseTo(refWeights[i]!, 5));
    second.dispose();
  });

  it('refuses a checkpoint of another architecture in one line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-arch-'));
    const a = setup(dir, false);
    await trainWithCheckpoints(a.ctx, { ...a.spec, epochs: 1 });
    a.dispose();
    const b = setup(dir, true);
    await expect(trainWithCheckpoints(b.ctx, { ...b.spec, arch: 'something-else', epochs: 2 })).rejects.toThrow(UsageError);
    await expect(trainWithCheckpoints(b.ctx, { ...b.spec, arch: 'something-else', epochs: 2 })).rejects.toThrow(/holds a tiny-mlp, but this run builds a something-else/);
    b.dispose();
  });

  it('derives distinct per-epoch seeds', () => {
    expect(epochSeed(1, 'a', 1)).not.toBe(epochSeed(1, 'a', 2));
    expect(epochSeed(1, 'a', 1)).not.toBe(epochSeed(1, 'b', 1));
    expect(epochSeed(1, 'a', 1)).toBe(epochSeed(1, 'a', 1));
  });
});
