import { describe, expect, it } from 'vitest';
import { decodeMnist, encodeMnist, idxBytes, parseIdx, syntheticDigits, writeIdx } from '../index';
import type { IdxData } from '../index';

/** A Node Buffer that is a view into the middle of a larger pool, as fs.readFileSync returns for small files. */
function pooled(bytes: Uint8Array, pad: number): Buffer {
  const filler = Buffer.alloc(pad, 0x5a);
  return Buffer.concat([filler, bytes, filler]).subarray(pad, pad + bytes.length);
}

describe('IDX from a Buffer that is a slice of a larger pool', () => {
  const arrays: IdxData[] = [
    new Uint8Array([0, 7, 255]),
    new Int8Array([-128, -1, 5]),
    new Int16Array([-300, 2]),
    new Float32Array([1.5, -0.25]),
  ];
  for (const data of arrays) {
    for (const gzip of [false, true]) {
      it(`${data.constructor.name} ${gzip ? 'gzip' : 'raw'}`, () => {
        const bytes = writeIdx({ data, shape: [data.length] }, { gzip });
        for (const pad of [1, 3, 8, 4096]) {
          const parsed = parseIdx(pooled(bytes, pad));
          expect(Array.from(parsed.data), `pad ${pad}`).toEqual(Array.from(data));
          expect(parsed.data.constructor).toBe(data.constructor);
          // the result owns its memory: it is not a view into the caller's pool
          expect(parsed.data.buffer.byteLength).toBe(parsed.data.byteLength);
          expect(Array.from(idxBytes(pooled(bytes, pad)))).toEqual(Array.from(idxBytes(bytes)));
        }
      });
    }
  }

  it('decodeMnist reads pooled Buffers', () => {
    const set = syntheticDigits({ count: 3, seed: 1 });
    const { images, labels } = encodeMnist(set, { gzip: true });
    const out = decodeMnist(pooled(images, 5), pooled(labels, 9));
    expect(Array.from(out.labels)).toEqual(Array.from(set.labels));
  });
});

describe('memoryStore', () => {
  it('stores a copy of a Buffer, not a view the caller can still change', async () => {
    const { memoryStore } = await import('../index');
    const store = memoryStore();
    const src = pooled(new Uint8Array([1, 2, 3]), 4);
    await store.write('f', src);
    src[0] = 99;
    expect(Array.from((await store.read('f')) ?? [])).toEqual([1, 2, 3]);
  });
});
