import { describe, expect, it } from 'vitest';
import { decodeMnist, encodeMnist, IdxFormatError, parseIdx, syntheticDigits, writeIdx } from '../index';
import type { IdxFormatReason } from '../index';
import { gzip } from './gzip';

function reasonOf(fn: () => unknown): IdxFormatReason | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof IdxFormatError) return e.reason;
    throw e;
  }
}

describe('IDX read/write', () => {
  it('round-trips every dtype, raw and gzip, from Uint8Array and ArrayBuffer', () => {
    const arrays = [
      new Uint8Array([0, 1, 255, 7, 8, 9]),
      new Int8Array([-128, 0, 127, 1, 2, 3]),
      new Int16Array([-32768, 300, 32767, 1, 2, 3]),
      new Int32Array([-1, 2 ** 31 - 1, 5, 6, 7, 8]),
      new Float32Array([0.5, -1.25, 3, 4, 5, 6]),
      new Float64Array([Math.PI, -1e300, 0, 1, 2, 3]),
    ];
    for (const data of arrays) {
      for (const compress of [false, true]) {
        const bytes = writeIdx({ data, shape: [2, 3] }, { gzip: compress });
        for (const input of [bytes, bytes.slice().buffer]) {
          const back = parseIdx(input);
          expect(back.shape).toEqual([2, 3]);
          expect(back.data).toEqual(data);
        }
      }
    }
  });

  it('writes the MNIST header layout (magic 0x00000803, big-endian dims)', () => {
    const bytes = writeIdx({ data: new Uint8Array(2 * 28 * 28), shape: [2, 28, 28] });
    expect(Array.from(bytes.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28]);
  });

  it('names each defect with a reason', () => {
    const good = writeIdx({ data: new Uint8Array([1, 2, 3, 4]), shape: [2, 2] });
    expect(reasonOf(() => parseIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0])))).toBe('bad-magic');
    expect(reasonOf(() => parseIdx(new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 0])))).toBe('unknown-dtype');
    expect(reasonOf(() => parseIdx(new Uint8Array([0, 0, 8, 0])))).toBe('bad-rank');
    expect(reasonOf(() => parseIdx(good.subarray(0, good.length - 1)))).toBe('truncated');
    expect(reasonOf(() => parseIdx(good.subarray(0, 6)))).toBe('truncated');
    expect(reasonOf(() => parseIdx(new Uint8Array([...good, 0])))).toBe('trailing-bytes');
    expect(reasonOf(() => parseIdx(good, { gzip: true, name: 'x.gz' }))).toBe('not-gzip');
    const gz = writeIdx({ data: new Uint8Array(100).fill(3), shape: [100] }, { gzip: true });
    expect(reasonOf(() => parseIdx(gz.subarray(0, gz.length - 12)))).toBe('corrupt-gzip');
    expect(() => parseIdx(good, { gzip: true, name: 'x.gz' })).toThrow(/x.gz: expected gzip data/);
  });

  it('rejects huge declared dimensions before allocating', () => {
    // 4 billion x 4 billion x 4 billion float64 would be ~5e29 bytes
    const bytes = new Uint8Array([0, 0, 0x0e, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1, 2]);
    const t0 = performance.now();
    expect(reasonOf(() => parseIdx(bytes))).toBe('truncated');
    expect(() => parseIdx(bytes)).toThrow(/declares shape \[4294967295, 4294967295, 4294967295\]/);
    // a gzip whose content claims 2^31 - 1 bytes decompresses only what is really there
    const lying = new Uint8Array(8 + 100);
    lying.set([0, 0, 8, 1, 0x7f, 0xff, 0xff, 0xff]);
    expect(reasonOf(() => parseIdx(gzip(lying), { maxBytes: 2 ** 32 }))).toBe('truncated');
    // under the default cap (128 MiB) the header alone is refused
    expect(reasonOf(() => parseIdx(gzip(lying)))).toBe('too-large');
    // a gzip trailer claiming a 4 GiB output is not believed either
    const gz = gzip(writeIdx({ data: new Uint8Array(64), shape: [64] }));
    gz.set([0xff, 0xff, 0xff, 0xff], gz.length - 4);
    expect(reasonOf(() => parseIdx(gz))).toBe('corrupt-gzip');
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('decodes and encodes MNIST-style image/label pairs and checks them against each other', () => {
    const set = syntheticDigits({ count: 5, seed: 2 });
    const { images, labels } = encodeMnist(set, { gzip: true });
    const back = decodeMnist(images, labels);
    expect(back).toMatchObject({ count: 5, height: 28, width: 28 });
    expect(back.labels).toEqual(set.labels);
    back.images.forEach((v, i) => expect(Math.abs(v - (set.images[i] as number))).toBeLessThanOrEqual(0.5 / 255 + 1e-6));
    const fewer = encodeMnist({ ...set, count: 4, labels: set.labels.subarray(0, 4), images: set.images.subarray(0, 4 * 784) });
    expect(reasonOf(() => decodeMnist(images, fewer.labels))).toBe('count-mismatch');
    expect(reasonOf(() => decodeMnist(labels, labels))).toBe('wrong-shape');
    expect(reasonOf(() => decodeMnist(writeIdx({ data: new Float32Array(784), shape: [1, 28, 28] }), fewer.labels))).toBe('wrong-dtype');
  });
});
