import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '@logitlab/losses';
import { getRngState, Linear, loadSafetensors, manualSeed, ReLU, saveSafetensors, Sequential, Tanh } from '@logitlab/layers';
import {
  ArchitectureMismatchError,
  checkpoint,
  CheckpointError,
  fit,
  latestCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  memoryStorage,
  oneCycleLR,
  readCheckpointInfo,
  reduceLROnPlateau,
  saveCheckpoint,
  stepLR,
} from './index';
import type { FitOptions } from './fit';
import { loader, mlp, weights } from './test-helpers';

const sgd = () => tf.train.sgd(0.1);
const ce = (logits: tf.Tensor, y: tf.Tensor) => crossEntropy(logits, y);

const optimizers = {
  momentum: () => tf.train.momentum(0.05, 0.9),
  adam: () => tf.train.adam(0.01),
};

type Extra = () => Partial<FitOptions<ReturnType<typeof mlp>>>;

/** Trains the dropout MLP with a seeded shuffled loader; returns the run's result and final weights. */
async function run(
  make: () => tf.Optimizer,
  epochs: number,
  options: { resume?: ReturnType<typeof memoryStorage>; storage?: ReturnType<typeof memoryStorage>; initSeed?: number; extra?: Extra },
) {
  const model = mlp(options.initSeed ?? 11, 0.3); // dropout draws from the layers' RNG every step
  const optimizer = make();
  const callbacks = options.storage ? [checkpoint({ storage: options.storage, keepLast: 2 })] : [];
  const res = await fit(model, {
    loss: ce,
    optimizer,
    data: loader(96, 12, 7),
    epochs,
    seed: 42,
    callbacks,
    resume: options.resume,
    ...options.extra?.(),
  });
  const w = weights(model);
  optimizer.dispose();
  model.dispose();
  return { res, w };
}

describe('checkpoints and resume', () => {
  for (const [kind, make] of Object.entries(optimizers)) {
    it(`resume (${kind}) restores weights, optimizer state, epoch, step and RNG: bit-identical to an uninterrupted run`, async () => {
      const full = await run(make, 4, {});
      const storage = memoryStorage();
      const first = await run(make, 2, { storage });
      // 14 batches per epoch: the checkpoint lands after step 28, where Adam's pow(beta, 29) differs from
      // the running product in float32 (so the test also guards the bias-correction restore)
      expect(first.res.losses).toEqual(full.res.losses.slice(0, 28));
      // a differently initialised model and a fresh optimizer: everything must come from the checkpoint
      const resumed = await run(make, 4, { resume: storage, initSeed: 999 });
      expect(resumed.res.history.map((h) => h.epoch)).toEqual([2, 3]);
      expect(resumed.res.steps).toBe(56);
      expect(resumed.res.losses).toEqual(full.res.losses.slice(28)); // exact equality, not closeness
      expect(resumed.w).toEqual(full.w);
    });
  }

  // 14 batches per epoch in groups of 3 (the last group of an epoch has 2): 5 optimiser steps per epoch
  const basics: Record<string, [() => tf.Optimizer, Extra]> = {
    'adam + oneCycleLR + accumulation + clipping + decoupled decay': [
      () => tf.train.adam(0.01),
      () => ({
        accumulateSteps: 3,
        gradClip: { maxNorm: 0.5, value: 0.2 },
        weightDecay: { value: 0.01, mode: 'decoupled' },
        scheduler: oneCycleLR({ maxLr: 0.05, totalSteps: 20 }),
      }),
    ],
    'momentum + reduceLROnPlateau + l2 decay': [
      () => tf.train.momentum(0.05, 0.9),
      () => ({
        weightDecay: { value: 0.001, mode: 'l2' },
        scheduler: reduceLROnPlateau({ monitor: 'loss', patience: 0, factor: 0.5, threshold: 0.99 }),
      }),
    ],
  };
  for (const [kind, [make, extra]] of Object.entries(basics)) {
    it(`resume with ${kind}: bit-identical, the schedule continues`, async () => {
      const full = await run(make, 4, { extra });
      const lrs = full.res.history.map((h) => h['lr']);
      expect(new Set(lrs).size).toBeGreaterThan(1); // the schedule did change the rate
      const storage = memoryStorage();
      await run(make, 2, { storage, extra });
      expect(readCheckpointInfo((await latestCheckpoint(storage))!).training?.scheduler?.state?.['lastEpoch']).toBeGreaterThan(0);
      const resumed = await run(make, 4, { resume: storage, initSeed: 999, extra });
      expect(resumed.res.history.map((h) => h['lr'])).toEqual(lrs.slice(2));
      expect(resumed.res.losses).toEqual(full.res.losses.slice(28));
      expect(resumed.w).toEqual(full.w);
    });
  }

  it('refuses a resume with other per-step options or another schedule, before touching any weight', async () => {
    const storage = memoryStorage();
    const make = sgd;
    await run(make, 1, { storage, extra: () => ({ accumulateSteps: 2, scheduler: stepLR({ stepSize: 1 }) }) });
    const model = mlp(5);
    const before = weights(model);
    for (const extra of [
      { accumulateSteps: 3, scheduler: stepLR({ stepSize: 1 }) },
      { accumulateSteps: 2, scheduler: stepLR({ stepSize: 2 }) },
      { accumulateSteps: 2 },
    ]) {
      await expect(
        fit(model, { loss: ce, optimizer: make(), data: loader(96, 12, 7), epochs: 2, seed: 42, resume: storage, ...extra }),
      ).rejects.toThrow(/expected the same per-step options and scheduler/);
    }
    expect(weights(model)).toEqual(before);
    model.dispose();
  });

  it('keeps the newest N checkpoints, with metadata', async () => {
    const storage = memoryStorage();
    const model = mlp(1);
    const optimizer = tf.train.sgd(0.1);
    await fit(model, {
      loss: ce,
      optimizer,
      data: loader(32, 1, 16),
      epochs: 5,
      seed: 3,
      callbacks: [checkpoint({ storage, keepLast: 2 })],
    });
    expect(await listCheckpoints(storage)).toEqual(['checkpoint-epoch-00004.safetensors', 'checkpoint-epoch-00005.safetensors']);
    const info = readCheckpointInfo((await latestCheckpoint(storage))!);
    expect(info).toMatchObject({ epoch: 5, step: 10, seed: 3, optimizer: 'SGD' });
    optimizer.dispose();
    model.dispose();
  });

  it('writes every N epochs and always after the last', async () => {
    const storage = memoryStorage();
    const model = mlp(1);
    const optimizer = tf.train.sgd(0.1);
    await fit(model, {
      loss: ce,
      optimizer,
      data: loader(16, 1, 16),
      epochs: 5,
      callbacks: [checkpoint({ storage, keepLast: 10, every: 2, prefix: 'run' })],
    });
    expect(await listCheckpoints(storage, 'run')).toEqual([
      'run-epoch-00002.safetensors',
      'run-epoch-00004.safetensors',
      'run-epoch-00005.safetensors',
    ]);
    optimizer.dispose();
    model.dispose();
  });

  it('rejects a checkpoint of another architecture, another optimizer, a used optimizer, or garbage, changing nothing on the model', async () => {
    const model = mlp(1);
    const optimizer = tf.train.adam(0.01);
    await fit(model, { loss: ce, optimizer, data: loader(16, 1, 16), epochs: 1 });
    const bytes = await saveCheckpoint(model, optimizer, { epoch: 1, step: 1, seed: undefined });
    manualSeed(1);
    const other = new Sequential(new Linear(2, 8), new Linear(8, 2));
    const before = weights(other);
    await expect(loadCheckpoint(bytes, other, tf.train.adam(0.01))).rejects.toThrow(CheckpointError);
    expect(weights(other)).toEqual(before);
    await expect(loadCheckpoint(bytes, mlp(2), tf.train.sgd(0.1))).rejects.toThrow(/optimizer Adam/);
    await expect(loadCheckpoint(bytes, mlp(2), optimizer)).rejects.toThrow(/already taken 1 steps/);
    await expect(loadCheckpoint(new Uint8Array([1, 2, 3]), mlp(2), tf.train.adam(0.01))).rejects.toThrow(CheckpointError);
    other.dispose();
    optimizer.dispose();
    model.dispose();
  });

  it('records the architecture and refuses a resume into another one before touching any weight', async () => {
    const storage = memoryStorage();
    const model = mlp(1);
    await fit(model, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(16, 1, 16),
      epochs: 1,
      arch: 'Mlp(2-16-2)',
      callbacks: [checkpoint({ storage })],
    });
    const bytes = (await latestCheckpoint(storage))!;
    expect(readCheckpointInfo(bytes).arch).toBe('Mlp(2-16-2)');
    // same shapes, so only the recorded architecture can tell them apart
    const other = mlp(2);
    const before = weights(other);
    const err = await fit(other, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(16, 1, 16),
      epochs: 2,
      arch: 'Other(2-16-2)',
      resume: storage,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchitectureMismatchError);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err).toMatchObject({
      expected: 'Other(2-16-2)',
      found: 'Mlp(2-16-2)',
      message: expect.stringMatching(/holds a Mlp\(2-16-2\), but this model is a Other\(2-16-2\)/),
    });
    expect(weights(other)).toEqual(before);
    // no arch on either side: only the strict state-dict check applies
    await expect(loadCheckpoint(bytes, other, tf.train.sgd(0.1))).resolves.toMatchObject({ epoch: 1 });
    model.dispose();
    other.dispose();
  });

  it("records the model's own description by default: same weights, other layers is an ArchitectureMismatchError", async () => {
    const storage = memoryStorage();
    manualSeed(1);
    const relu = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));
    await fit(relu, { loss: ce, optimizer: sgd(), data: loader(16, 1, 16), epochs: 1, callbacks: [checkpoint({ storage })] });
    const bytes = (await latestCheckpoint(storage))!;
    expect(readCheckpointInfo(bytes).arch).toBe(relu.toString());
    const tanh = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 2)); // identical state-dict keys and shapes
    const err = await fit(tanh, { loss: ce, optimizer: sgd(), data: loader(16, 1, 16), epochs: 2, resume: storage }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ArchitectureMismatchError);
    expect((err as Error).message).toMatch(/first difference at line 3: "\(1\): ReLU\(\)" in the checkpoint, "\(1\): Tanh\(\)" here/);
    for (const m of [relu, tanh]) m.dispose();
  });

  it('loads weights only when no optimizer is given, leaving the RNG alone', async () => {
    const model = mlp(1, 0.3);
    const optimizer = tf.train.adam(0.01);
    await fit(model, { loss: ce, optimizer, data: loader(16, 1, 16), epochs: 1, seed: 4 });
    const bytes = await saveCheckpoint(model, optimizer, { epoch: 1, step: 1, seed: 4, arch: 'A' });
    const fresh = mlp(2, 0.3);
    manualSeed(77);
    const rng = getRngState();
    const before = tf.memory().numTensors;
    await expect(loadCheckpoint(bytes, fresh, undefined, { arch: 'B' })).rejects.toThrow(ArchitectureMismatchError);
    const info = await loadCheckpoint(bytes, fresh, undefined, { arch: 'A' });
    expect(info).toMatchObject({ epoch: 1, step: 1, seed: 4, arch: 'A' });
    expect(tf.memory().numTensors).toBe(before);
    expect(weights(fresh)).toEqual(weights(model));
    expect(getRngState()).toBe(rng);
    for (const m of [model, fresh]) m.dispose();
    optimizer.dispose();
  });

  it('verifies a content checksum: one flipped data byte is a CheckpointError and changes nothing', async () => {
    const model = mlp(1);
    const optimizer = tf.train.adam(0.01);
    await fit(model, { loss: ce, optimizer, data: loader(16, 1, 16), epochs: 1 });
    const bytes = await saveCheckpoint(model, optimizer, { epoch: 1, step: 1, seed: 1 });
    expect(readCheckpointInfo(bytes).epoch).toBe(1);
    const flipped = bytes.slice();
    flipped[flipped.length - 3]! ^= 0x01; // a bit of the last tensor's data
    const fresh = mlp(2);
    const before = weights(fresh);
    const opt2 = tf.train.adam(0.01);
    const n = tf.memory().numTensors;
    await expect(loadCheckpoint(flipped, fresh, opt2)).rejects.toThrow(/checksum .* the file is corrupt/);
    expect(() => readCheckpointInfo(flipped)).toThrow(CheckpointError);
    expect(weights(fresh)).toEqual(before);
    expect(tf.memory().numTensors).toBe(n);
    for (const m of [model, fresh]) m.dispose();
    optimizer.dispose();
    opt2.dispose();
  });

  it('validates all metadata, slot names and shapes before writing: corrupt files are CheckpointErrors and change nothing', async () => {
    const model = mlp(1);
    const optimizer = tf.train.adam(0.01);
    await fit(model, { loss: ce, optimizer, data: loader(16, 1, 16), epochs: 1 });
    const good = await saveCheckpoint(model, optimizer, { epoch: 1, step: 1, seed: 1 });
    const { tensors, metadata: withSum } = loadSafetensors(good);
    // rewritten as version 1 (no checksum): only validation can catch these
    const metadata: Record<string, string> = { ...withSum, version: '1' };
    delete metadata['checksum'];
    const variants: Record<string, [Record<string, string>, Record<string, tf.Tensor>]> = {
      'slots not JSON': [{ ...metadata, optimizerSlots: '[oops' }, tensors],
      'slots not strings': [{ ...metadata, optimizerSlots: '[1, 2]' }, tensors],
      'slot of no parameter': [
        { ...metadata, optimizerSlots: metadata['optimizerSlots']!.replace('0.weight/m', 'nope.weight/m') },
        tensors,
      ],
      'slot of the wrong shape': [metadata, { ...tensors, 'optimizer.00001': tf.zeros([3, 3]) }],
      'training not JSON': [{ ...metadata, training: '{' }, tensors],
      'epoch not a number': [{ ...metadata, epoch: 'x' }, tensors],
      'seed not a number': [{ ...metadata, seed: 'abc' }, tensors],
    };
    const fresh = mlp(2);
    const opt2 = tf.train.adam(0.01);
    const before = weights(fresh);
    for (const [what, [meta, dict]] of Object.entries(variants)) {
      const bytes = saveSafetensors(dict, meta);
      const err = await loadCheckpoint(bytes, fresh, opt2).catch((e: unknown) => e);
      expect(err, what).toBeInstanceOf(CheckpointError);
      expect(weights(fresh), what).toEqual(before);
      expect(opt2.iterations, what).toBe(0);
    }
    tf.dispose([...Object.values(tensors), variants['slot of the wrong shape']![1]['optimizer.00001']!]);
    for (const m of [model, fresh]) m.dispose();
    optimizer.dispose();
    opt2.dispose();
  });

  it('refuses to resume with a different seed', async () => {
    const storage = memoryStorage();
    const model = mlp(1);
    await fit(model, {
      loss: ce,
      optimizer: tf.train.sgd(0.1),
      data: loader(16, 1, 16),
      epochs: 1,
      seed: 5,
      callbacks: [checkpoint({ storage })],
    });
    await expect(
      fit(mlp(1), { loss: ce, optimizer: tf.train.sgd(0.1), data: loader(16, 1, 16), epochs: 2, seed: 6, resume: storage }),
    ).rejects.toThrow(/seed 6 .* seed 5/);
  });

  it('saving and loading checkpoints leaks no tensors', async () => {
    const model = mlp(1);
    const optimizer = tf.train.adam(0.01);
    await fit(model, { loss: ce, optimizer, data: loader(16, 1, 16), epochs: 1 });
    const fresh = mlp(2);
    const opt2 = tf.train.adam(0.01);
    const before = tf.memory().numTensors;
    const bytes = await saveCheckpoint(model, optimizer, { epoch: 1, step: 1, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    await loadCheckpoint(bytes, fresh, opt2);
    // the restored optimizer now holds its slots: 2 moments per parameter (4 parameters)
    expect(tf.memory().numTensors).toBe(before + 8);
    expect(weights(fresh)).toEqual(weights(model));
    for (const m of [model, fresh]) m.dispose();
    optimizer.dispose();
    opt2.dispose();
  });
});
