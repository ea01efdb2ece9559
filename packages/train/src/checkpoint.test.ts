import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '@logitlab/losses';
import { getRngState, Linear, manualSeed, Sequential } from '@logitlab/layers';
import { ArchitectureMismatchError, checkpoint, CheckpointError, fit, latestCheckpoint, listCheckpoints, loadCheckpoint, memoryStorage, readCheckpointInfo, saveCheckpoint } from './index';
import { loader, mlp, weights } from './test-helpers';

const ce = (logits: tf.Tensor, y: tf.Tensor) => crossEntropy(logits, y);

const optimizers = {
  momentum: () => tf.train.momentum(0.05, 0.9),
  adam: () => tf.train.adam(0.01),
};

/** Trains the dropout MLP with a seeded shuffled loader; returns the run's result and final weights. */
async function run(make: () => tf.Optimizer, epochs: number, options: { resume?: ReturnType<typeof memoryStorage>; storage?: ReturnType<typeof memoryStorage>; initSeed?: number }) {
  const model = mlp(options.initSeed ?? 11, 0.3); // dropout draws from the layers' RNG every step
  const optimizer = make();
  const callbacks = options.storage ? [checkpoint({ storage: options.storage, keepLast: 2 })] : [];
  const res = await fit(model, { loss: ce, optimizer, data: loader(96, 12, 7), epochs, seed: 42, callbacks, resume: options.resume });
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

  it('keeps the newest N checkpoints, with metadata', async () => {
    const storage = memoryStorage();
    const model = mlp(1);
    const optimizer = tf.train.sgd(0.1);
    await fit(model, { loss: ce, optimizer, data: loader(32, 1, 16), epochs: 5, seed: 3, callbacks: [checkpoint({ storage, keepLast: 2 })] });
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
    await fit(model, { loss: ce, optimizer, data: loader(16, 1, 16), epochs: 5, callbacks: [checkpoint({ storage, keepLast: 10, every: 2, prefix: 'run' })] });
    expect(await listCheckpoints(storage, 'run')).toEqual(['run-epoch-00002.safetensors', 'run-epoch-00004.safetensors', 'run-epoch-00005.safetensors']);
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
    await fit(model, { loss: ce, optimizer: tf.train.sgd(0.1), data: loader(16, 1, 16), epochs: 1, arch: 'Mlp(2-16-2)', callbacks: [checkpoint({ storage })] });
    const bytes = (await latestCheckpoint(storage))!;
    expect(readCheckpointInfo(bytes).arch).toBe('Mlp(2-16-2)');
    // same shapes, so only the recorded architecture can tell them apart
    const other = mlp(2);
    const before = weights(other);
    const err = await fit(other, { loss: ce, optimizer: tf.train.sgd(0.1), data: loader(16, 1, 16), epochs: 2, arch: 'Other(2-16-2)', resume: storage }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchitectureMismatchError);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err).toMatchObject({ expected: 'Other(2-16-2)', found: 'Mlp(2-16-2)', message: expect.stringMatching(/holds a Mlp\(2-16-2\), but this model is a Other\(2-16-2\)/) });
    expect(weights(other)).toEqual(before);
    // no arch on either side: only the strict state-dict check applies
    await expect(loadCheckpoint(bytes, other, tf.train.sgd(0.1))).resolves.toMatchObject({ epoch: 1 });
    model.dispose();
    other.dispose();
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

  it('refuses to resume with a different seed', async () => {
    const storage = memoryStorage();
    const model = mlp(1);
    await fit(model, { loss: ce, optimizer: tf.train.sgd(0.1), data: loader(16, 1, 16), epochs: 1, seed: 5, callbacks: [checkpoint({ storage })] });
    await expect(fit(mlp(1), { loss: ce, optimizer: tf.train.sgd(0.1), data: loader(16, 1, 16), epochs: 2, seed: 6, resume: storage })).rejects.toThrow(/seed 6 .* seed 5/);
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
