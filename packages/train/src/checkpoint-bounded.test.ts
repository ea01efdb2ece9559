// Structure and checksum are checked from the header and the raw bytes before any tensor is built: a
// file declaring 100,000 tensors built them all (2-3 s, 230 MB) before it was refused.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import * as layers from '@logitlab/layers';
import { CHECKSUM_PLACEHOLDER, sealChecksum } from './checkpoint-file/checksum';
import { readHeader } from './checkpoint-file/header';
import { CheckpointError, loadCheckpoint, readCheckpointInfo, saveCheckpoint } from './index';
import { mlp } from './test-helpers';

// counts the decodes: the only place a checkpoint's tensors are built
vi.mock('@logitlab/layers', async (original) => {
  const real = await original<typeof layers>();
  return { ...real, loadSafetensors: vi.fn(real.loadSafetensors) };
});

const COUNT = 100_000;

/** A checkpoint header naming COUNT one-float tensors, with valid metadata, unsealed (checksum all zeros). */
function hostile(metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { ...metadata, checksum: CHECKSUM_PLACEHOLDER } };
  for (let i = 0; i < COUNT; i++) header[`model.w${i}`] = { dtype: 'F32', shape: [1], data_offsets: [4 * i, 4 * i + 4] };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + 4 * COUNT);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  return out;
}

describe('a checkpoint declaring 100,000 tensors', () => {
  it('is refused, typed and in one line, without building a tensor: wrong checksum, or a sealed one that does not fit the model', async () => {
    const model = mlp(1);
    const optimizer = tf.train.sgd(0.1);
    const good = await saveCheckpoint(model, optimizer, { epoch: 1, step: 1, seed: 1 });
    const decode = vi.mocked(layers.loadSafetensors);
    decode.mockClear();
    const loaded = layers.loadSafetensors(good);
    tf.dispose(Object.values(loaded.tensors));
    const metadata = { ...loaded.metadata, optimizerSlots: '[]' };
    decode.mockClear();
    const n = tf.memory().numTensors;
    const unsealed = hostile(metadata);
    const sealed = unsealed.slice();
    sealChecksum(sealed, readHeader(sealed));
    for (const [seal, message] of [
      [false, /checksum is crc32:00000000 but the file hashes to/],
      [true, /does not fit this model: missing keys \[model\.0\.weight, .*\], unexpected keys \[model\.w0, .*\(100000 in all\)\]$/],
    ] as const) {
      const bytes = seal ? sealed : unsealed;
      const fresh = mlp(2);
      const opt = tf.train.sgd(0.1);
      const err = await loadCheckpoint(bytes, fresh, opt).catch((e: unknown) => e);
      opt.dispose();
      expect(err).toBeInstanceOf(CheckpointError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message.length).toBeLessThan(600);
      if (!seal) expect(() => readCheckpointInfo(bytes)).toThrow(CheckpointError);
      else expect(readCheckpointInfo(bytes).epoch).toBe(1); // its metadata is intact: reading it builds nothing either
      fresh.dispose();
    }
    expect(decode).not.toHaveBeenCalled();
    expect(tf.memory().numTensors).toBe(n);
    model.dispose();
    optimizer.dispose();
  });
});
