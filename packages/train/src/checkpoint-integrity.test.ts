// A checkpoint cannot lie about its place: the checksum covers header and metadata (epoch, step, RNG
// state), a diverged model is neither written nor loaded, keepLast orders by the parsed epoch, and
// files of the two earlier versions still load.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng, crc32 } from '@logitlab/core';
import { crossEntropy } from '@logitlab/losses';
import { loadSafetensors, saveSafetensors } from '@logitlab/layers';
import { CHECKSUM_PLACEHOLDER, sealChecksum } from './checkpoint-file/checksum';
import { readHeader } from './checkpoint-file/header';
import {
  checkpoint,
  CheckpointError,
  fit,
  latestCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  memoryStorage,
  NonFiniteCheckpointError,
  readCheckpointInfo,
  saveCheckpoint,
  TrainError,
  type TrainContext,
} from './index';
import { describeTraining } from './training-state';
import { loader, mlp, weights } from './test-helpers';

const ce = (logits: tf.Tensor, y: tf.Tensor) => crossEntropy(logits, y);

/** A trained model, its Adam optimizer and a checkpoint of both (epoch 3, step 7, seed 5). */
async function written() {
  const model = mlp(1);
  const optimizer = tf.train.adam(0.01);
  await fit(model, { loss: ce, optimizer, data: loader(16, 1, 16), epochs: 1 });
  const bytes = await saveCheckpoint(model, optimizer, { epoch: 3, step: 7, seed: 5, arch: 'Mlp' });
  return { model, optimizer, bytes, dispose: () => (model.dispose(), optimizer.dispose()) };
}

/** Re-serialises a checkpoint's tensors with other metadata and seals it as version 3 would. */
function resealed(bytes: Uint8Array, edit: (m: Record<string, string>) => void, tensors?: Record<string, tf.Tensor>): Uint8Array {
  const loaded = loadSafetensors(bytes);
  const meta = { ...loaded.metadata, checksum: CHECKSUM_PLACEHOLDER };
  edit(meta);
  const out = saveSafetensors({ ...loaded.tensors, ...tensors }, meta);
  tf.dispose(Object.values(loaded.tensors));
  sealChecksum(out, readHeader(out));
  return out;
}

describe('checkpoint checksum over header and metadata', () => {
  it('refuses a flipped bit in the metadata (epoch 3 -> 2), which version 2 accepted', async () => {
    const { bytes, dispose } = await written();
    const text = new TextDecoder().decode(bytes.subarray(0, readHeader(bytes).dataStart));
    const at = text.indexOf('"epoch":"3"') + '"epoch":"'.length;
    const flipped = bytes.slice();
    flipped[at]! ^= 0x01; // '3' -> '2'
    expect(() => readCheckpointInfo(flipped)).toThrow(/checksum is crc32:[0-9a-f]{8} but the file hashes to .*the file is corrupt/);
    expect(readCheckpointInfo(bytes)).toMatchObject({ epoch: 3, step: 7, seed: 5 });
    dispose();
  });

  it('seeded fuzz: every bit flip or byte change in the header and metadata is a typed refusal, never another place', async () => {
    const { bytes, dispose } = await written();
    const { dataStart } = readHeader(bytes);
    const fresh = mlp(2);
    const before = weights(fresh);
    const rng = new Rng(2024);
    const n = tf.memory().numTensors;
    const outcomes = new Map<string, number>();
    for (let trial = 0; trial < 400; trial++) {
      const mutated = bytes.slice();
      const at = Math.floor(rng.next() * dataStart);
      // half single-bit flips, half a random new byte value (never the same one)
      if (trial % 2 === 0) mutated[at]! ^= 1 << Math.floor(rng.next() * 8);
      else mutated[at] = (bytes[at]! + 1 + Math.floor(rng.next() * 255)) & 0xff;
      let error: unknown;
      try {
        readCheckpointInfo(mutated);
      } catch (e) {
        error = e;
      }
      expect(error, `byte ${at} of the header`).toBeInstanceOf(CheckpointError);
      const kind = (error as Error).message.replace(/[^a-z ].*$/, '').slice(0, 40);
      outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
      if (trial % 20 === 0) {
        const optimizer = tf.train.adam(0.01);
        await expect(loadCheckpoint(mutated, fresh, optimizer)).rejects.toBeInstanceOf(CheckpointError);
        expect(optimizer.iterations).toBe(0);
        optimizer.dispose();
      }
    }
    expect(weights(fresh)).toEqual(before);
    expect(tf.memory().numTensors).toBe(n);
    // the flips reached more than the checksum itself: parse errors, checksum mismatches and so on
    expect(outcomes.size).toBeGreaterThan(1);
    fresh.dispose();
    dispose();
  });

  it('version 2 files (checksum over the tensor data only) still load; damaged ones do not', async () => {
    const { model, bytes, dispose } = await written();
    const loaded = loadSafetensors(bytes);
    const meta: Record<string, string> = { ...loaded.metadata, version: '2' };
    const plain = saveSafetensors(loaded.tensors, { ...meta, checksum: CHECKSUM_PLACEHOLDER });
    meta['checksum'] = `crc32:${crc32(plain.subarray(readHeader(plain).dataStart))
      .toString(16)
      .padStart(8, '0')}`;
    const v2 = saveSafetensors(loaded.tensors, meta);
    tf.dispose(Object.values(loaded.tensors));
    const fresh = mlp(2);
    const optimizer = tf.train.adam(0.01);
    await expect(loadCheckpoint(v2, fresh, optimizer)).resolves.toMatchObject({ epoch: 3, step: 7, seed: 5 });
    expect(weights(fresh)).toEqual(weights(model));
    const damaged = v2.slice();
    damaged[damaged.length - 2]! ^= 0x10;
    expect(() => readCheckpointInfo(damaged)).toThrow(/the file is corrupt/);
    // a version 3 file is never read as version 2: its checksum covers the header, not the data alone
    expect(() => readCheckpointInfo(resealed(bytes, () => undefined).slice())).not.toThrow();
    const relabelled = bytes.slice();
    const text = new TextDecoder().decode(relabelled.subarray(0, readHeader(relabelled).dataStart));
    relabelled[text.indexOf('"version":"3"') + '"version":"'.length] = '2'.charCodeAt(0);
    expect(() => readCheckpointInfo(relabelled)).toThrow(/the file is corrupt/);
    for (const m of [fresh]) m.dispose();
    optimizer.dispose();
    dispose();
  });
});

describe('non-finite weights', () => {
  it('are never written: a run whose weights went NaN with a finite loss stops typed, no checkpoint stored', async () => {
    const storage = memoryStorage();
    const model = mlp(1);
    const optimizer = tf.train.sgd(0.1);
    // the loss of the last step is computed before its update: the weights go NaN after every loss was read finite
    const poison = (m: typeof model, info: { batch: number }) => {
      if (info.batch === 1) m.parameters()[0]!.assign(tf.fill(m.parameters()[0]!.shape, NaN));
    };
    const err = await fit(model, {
      loss: ce,
      optimizer,
      data: loader(32, 1, 16),
      epochs: 2,
      afterStep: poison,
      callbacks: [checkpoint({ storage })],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteCheckpointError);
    expect(err).toMatchObject({ tensor: 'model.0.weight', index: 0, when: 'write' });
    expect((err as Error).message).toMatch(/model\.0\.weight holds NaN at index 0; expected finite weights, so no checkpoint was written/);
    expect(storage.files.size).toBe(0);
    model.dispose();
    optimizer.dispose();
  });

  it('are never loaded: a (correctly checksummed) checkpoint holding Infinity is refused before any tensor is built', async () => {
    const { bytes, dispose } = await written();
    const values = new Float32Array(32);
    values[3] = Infinity;
    const inf = tf.tensor(values, [16, 2]);
    const bad = resealed(bytes, () => undefined, { 'model.0.weight': inf });
    inf.dispose();
    const fresh = mlp(2);
    const before = weights(fresh);
    const optimizer = tf.train.adam(0.01);
    const n = tf.memory().numTensors;
    const err = await loadCheckpoint(bad, fresh, optimizer).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteCheckpointError);
    expect(err).toMatchObject({ tensor: 'model.0.weight', index: 3, value: Infinity, when: 'load' });
    expect(() => readCheckpointInfo(bad)).toThrow(NonFiniteCheckpointError);
    expect(tf.memory().numTensors).toBe(n);
    expect(weights(fresh)).toEqual(before);
    fresh.dispose();
    optimizer.dispose();
    dispose();
  });
});

describe('keepLast and the newest checkpoint', () => {
  it('order by the parsed epoch: past epoch 99,999 the newest files are kept', async () => {
    const storage = memoryStorage();
    const model = mlp(1);
    const optimizer = tf.train.sgd(0.1);
    for (const e of [99_998, 99_999, 100_000]) await storage.write(`checkpoint-epoch-${e}.safetensors`, new Uint8Array([e % 256]));
    const ctx = {
      model,
      optimizer,
      epochs: 200_000,
      step: 5,
      seed: undefined,
      arch: 'Mlp',
      training: describeTraining({ accumulateSteps: 1 }),
      scheduler: undefined,
    } as unknown as TrainContext;
    await checkpoint({ storage, keepLast: 2 }).onEpochEnd!(ctx, { epoch: 100_000, steps: 5, loss: 1, seconds: 0 });
    expect(await listCheckpoints(storage)).toEqual(['checkpoint-epoch-100000.safetensors', 'checkpoint-epoch-100001.safetensors']);
    expect(readCheckpointInfo((await latestCheckpoint(storage))!).epoch).toBe(100_001);
    model.dispose();
    optimizer.dispose();
  });

  it('checkpoint({ every: 0 }) and other non-positive-integer intervals are refused', () => {
    const storage = memoryStorage();
    for (const every of [0, -1, 1.5, NaN]) expect(() => checkpoint({ storage, every }), String(every)).toThrow(TrainError);
    expect(() => checkpoint({ storage, every: 0 })).toThrow(/checkpoint every must be a positive integer; got 0/);
  });
});
