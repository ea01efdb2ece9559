import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectClose, type FixtureTensor } from '../../../scripts/test-utils/fixture-utils';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  ReLU,
  SafetensorsError,
  Sequential,
  Tanh,
  loadSafetensors,
  loadSafetensorsInto,
  moduleToSafetensors,
  saveSafetensors,
} from './index';

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

/** Builds a safetensors buffer by hand, for the dtypes logitlab never writes. */
function handMade(
  entries: Record<string, { dtype: string; shape: number[]; bytes: Uint8Array }>,
  tweak?: (h: Record<string, unknown>) => void,
): Uint8Array {
  const header: Record<string, unknown> = {};
  let off = 0;
  const parts: Uint8Array[] = [];
  for (const [k, e] of Object.entries(entries)) {
    header[k] = { dtype: e.dtype, shape: e.shape, data_offsets: [off, off + e.bytes.length] };
    parts.push(e.bytes);
    off += e.bytes.length;
  }
  tweak?.(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let p = 8 + json.length;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

const bytesOf = (a: Float64Array | BigInt64Array | Int32Array) => new Uint8Array(a.buffer);

describe('safetensors', () => {
  it('loads a state dict exported by PyTorch and reproduces its eval outputs', () => {
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch_model.json', import.meta.url), 'utf8')) as {
      x: FixtureTensor;
      y: FixtureTensor;
      keys: string[];
    };
    const bytes = readFileSync(new URL('./fixtures/torch_model.safetensors', import.meta.url));
    const model = new Sequential(
      new Conv2d(1, 4, 3, { padding: 1 }),
      new BatchNorm2d(4),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(4, 6, 3, { stride: 2, padding: 1 }),
      new ReLU(),
      new Flatten(), // channel-major by default, so the Linear after it takes PyTorch's weights as is
      new Dropout(0.3),
      new Linear(24, 8),
      new BatchNorm1d(8),
      new Tanh(),
      new Linear(8, 3),
    );
    const { metadata } = loadSafetensorsInto(model, new Uint8Array(bytes));
    expect(metadata['format']).toBe('pt');
    expect((model.at(1) as BatchNorm2d).numBatchesTracked!.dataSync()[0]).toBe(5);
    model.eval();
    const x = tf.tensor(fixture.x.data, fixture.x.shape);
    const y = model.call(x);
    expectClose(y, fixture.y, 'torch model output');
    // and back out with the same keys, in PyTorch's order-free layout
    const again = loadSafetensors(moduleToSafetensors(model));
    expect(new Set(Object.keys(again.tensors))).toEqual(new Set(fixture.keys));
    expect(again.tensors['0.weight']!.shape).toEqual([4, 1, 3, 3]);
    tf.dispose([x, y, ...Object.values(again.tensors)]);
    model.dispose();
  });

  it('round-trips float32, int32 and bool tensors with metadata', () => {
    const dict = {
      a: tf.tensor2d([
        [1.5, -2],
        [3, 4],
      ]),
      'b.c': tf.tensor1d([1, -7, 2147483647], 'int32'),
      d: tf.tensor1d([true, false, true], 'bool'),
      e: tf.scalar(2.5),
    };
    const bytes = saveSafetensors(dict, { note: 'hi' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const { tensors, metadata } = loadSafetensors(bytes.buffer.slice(0) as ArrayBuffer);
    expect(metadata).toEqual({ note: 'hi' });
    for (const [k, t] of Object.entries(dict)) {
      expect(tensors[k]!.dtype).toBe(t.dtype);
      expect(tensors[k]!.shape).toEqual(t.shape);
      expect(Array.from(tensors[k]!.dataSync())).toEqual(Array.from(t.dataSync()));
    }
    tf.dispose([...Object.values(dict), ...Object.values(tensors)]);
  });

  it('reads F64 as float32 and I64 as int32, and rejects int64 outside int32', () => {
    const ok = handMade({
      f: { dtype: 'F64', shape: [2], bytes: bytesOf(new Float64Array([0.1, -3])) },
      i: { dtype: 'I64', shape: [2], bytes: bytesOf(new BigInt64Array([5n, -2147483648n])) },
      u: { dtype: 'U8', shape: [1], bytes: new Uint8Array([255]) },
    });
    const { tensors } = loadSafetensors(ok);
    expect(tensors['f']!.dtype).toBe('float32');
    expect(tensors['f']!.dataSync()[0]).toBeCloseTo(0.1);
    expect(Array.from(tensors['i']!.dataSync())).toEqual([5, -2147483648]);
    expect(tensors['u']!.dataSync()[0]).toBe(255);
    tf.dispose(Object.values(tensors));
    const big = handMade({ i: { dtype: 'I64', shape: [1], bytes: bytesOf(new BigInt64Array([2n ** 40n])) } });
    expect(() => loadSafetensors(big)).toThrow(/outside int32 range/);
  });

  it('gives a SafetensorsError for every kind of corruption', () => {
    const good = handMade({ a: { dtype: 'F64', shape: [2], bytes: bytesOf(new Float64Array([1, 2])) } });
    const corrupt: [string, Uint8Array][] = [
      ['too short', good.subarray(0, 5)],
      ['truncated data', good.subarray(0, good.length - 1)],
      ['trailing bytes', new Uint8Array([...good, 0])],
      [
        'header past the end',
        (() => {
          const b = good.slice();
          new DataView(b.buffer).setBigUint64(0, 10n ** 6n, true);
          return b;
        })(),
      ],
      [
        'huge header length',
        (() => {
          const b = good.slice();
          new DataView(b.buffer).setBigUint64(0, 2n ** 62n, true);
          return b;
        })(),
      ],
      ['unknown dtype', handMade({ a: { dtype: 'C64', shape: [1], bytes: new Uint8Array(8) } })],
      ['shape/offsets mismatch', handMade({ a: { dtype: 'F32', shape: [3], bytes: new Uint8Array(8) } })],
      ['negative dim', handMade({ a: { dtype: 'F32', shape: [-1], bytes: new Uint8Array(0) } })],
      [
        'gap',
        handMade({ a: { dtype: 'U8', shape: [1], bytes: new Uint8Array(1) } }, (h) => {
          (h['a'] as { data_offsets: number[] }).data_offsets = [1, 2];
        }),
      ],
      [
        'non-string metadata',
        handMade({}, (h) => {
          h['__metadata__'] = { n: 1 };
        }),
      ],
    ];
    const badJson = good.slice();
    badJson[8] = 0x7b + 1; // '{' -> '|'
    corrupt.push(['bad JSON', badJson]);
    for (const [what, bytes] of corrupt) expect(() => loadSafetensors(bytes), what).toThrow(SafetensorsError);
  });

  it('never throws anything but SafetensorsError on random truncations and byte flips (fuzz)', () => {
    const dict = {
      w: tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      n: tf.scalar(3, 'int32'),
    };
    const good = saveSafetensors(dict, { k: 'v' });
    tf.dispose(Object.values(dict));
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 400; i++) {
      const b = i % 2 ? good.slice(0, rand(good.length)) : good.slice();
      if (i % 2 === 0) for (let j = 0; j < 3; j++) b[rand(b.length)] = rand(256);
      try {
        const { tensors } = loadSafetensors(b);
        tf.dispose(Object.values(tensors));
      } catch (e) {
        expect(e).toBeInstanceOf(SafetensorsError);
      }
    }
  });
});
