import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Linear, loadSafetensors, loadSafetensorsInto, moduleToSafetensors } from './index';

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

/** A Node Buffer that is a view into the middle of a larger pool, as fs.readFileSync returns for small files. */
function pooled(bytes: Uint8Array, pad = 13): Buffer {
  const filler = Buffer.alloc(pad, 0xab);
  return Buffer.concat([filler, bytes, filler]).subarray(pad, pad + bytes.length);
}

function file(entries: Record<string, { dtype: string; shape: number[]; bytes: Uint8Array }>): Uint8Array {
  const header: Record<string, unknown> = {};
  let off = 0;
  for (const [k, e] of Object.entries(entries)) {
    header[k] = { dtype: e.dtype, shape: e.shape, data_offsets: [off, off + e.bytes.length] };
    off += e.bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let p = 8 + json.length;
  for (const e of Object.values(entries)) {
    out.set(e.bytes, p);
    p += e.bytes.length;
  }
  return out;
}

describe('safetensors from a Buffer that is a slice of a larger pool', () => {
  it('decodes F32, F16, BF16, I64, I8 and U8 from the view, not from the start of the pool', () => {
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3800]).buffer); // 1, -2, 0.5
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xc040]).buffer); // 1, -3
    const bytes = file({
      f32: { dtype: 'F32', shape: [3], bytes: new Uint8Array(new Float32Array([1.5, -2, 3.25]).buffer) },
      f16: { dtype: 'F16', shape: [3], bytes: f16 },
      bf16: { dtype: 'BF16', shape: [2], bytes: bf16 },
      i64: { dtype: 'I64', shape: [2], bytes: new Uint8Array(new BigInt64Array([7n, -9n]).buffer) },
      i8: { dtype: 'I8', shape: [2], bytes: new Uint8Array(new Int8Array([-5, 6]).buffer) },
      u8: { dtype: 'U8', shape: [2], bytes: new Uint8Array([200, 1]) },
    });
    // odd pads: the data sections are misaligned inside the pool as well
    for (const pad of [1, 3, 13, 4096]) {
      const { tensors } = loadSafetensors(pooled(bytes, pad));
      const got = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, Array.from(t.dataSync())]));
      expect(got, `pad ${pad}`).toEqual({
        f32: [1.5, -2, 3.25],
        f16: [1, -2, 0.5],
        bf16: [1, -3],
        i64: [7, -9],
        i8: [-5, 6],
        u8: [200, 1],
      });
      tf.dispose(Object.values(tensors));
    }
  });

  it('loadSafetensorsInto restores the same weights from a pooled Buffer', () => {
    const a = new Linear(3, 2);
    const b = new Linear(3, 2);
    loadSafetensorsInto(b, pooled(moduleToSafetensors(a), 7));
    expect(Array.from(b.weight.dataSync())).toEqual(Array.from(a.weight.dataSync()));
    expect(Array.from(b.bias!.dataSync())).toEqual(Array.from(a.bias!.dataSync()));
    a.dispose();
    b.dispose();
  });
});
