// The packed integer arguments (ints.ts) and the addon's checks on them: a wrong call must throw, never
// read or write out of bounds. The addon part skips where it is not built (see untestableReason).
import { loadNative } from '@logitlab/native';
import { describe, expect, it } from 'vitest';
import { untestableReason } from '../../test/kernel-test-util';
import { packInts } from './ints';

const skip = await untestableReason('native');
const loaded = loadNative();
const addon = loaded.ok ? loaded.addon : undefined;
const f32 = (n: number) => new Float32Array(new ArrayBuffer(4 * n));

describe('packInts', () => {
  it('writes the lengths, then the lists, into one off-heap Int32Array', () => {
    const packed = packInts([4, 5], [], [7]);
    expect(Array.from(packed.subarray(0, 6))).toEqual([2, 0, 1, 4, 5, 7]);
    // off-heap: made from an ArrayBuffer of its own, reused by the next call
    expect(packed.byteLength).toBeGreaterThan(64);
    expect(packInts([1])).toBe(packed);
  });

  it('gives lists longer than its scratch space an array of their own', () => {
    const long = Array.from({ length: 300 }, (_, i) => i);
    const packed = packInts(long, [9]);
    expect(packed.length).toBe(303);
    expect(Array.from(packed.subarray(0, 4))).toEqual([300, 1, 0, 1]);
    expect(packed[302]).toBe(9);
  });
});

describe.skipIf(skip !== undefined || addon === undefined)('the addon checks packed arguments', () => {
  it('broadcasts a row over a matrix', () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const b = Float32Array.from([10, 20, 30]);
    const out = f32(6);
    addon!.binary(0, a, b, out, packInts([2, 3], [3], [2, 3]));
    expect(Array.from(out)).toEqual([11, 22, 33, 14, 25, 36]);
  });

  it('throws for sizes that do not match the shapes, bad packs and wrong array types', () => {
    const a = f32(6);
    expect(() => addon!.binary(0, a, a, f32(5), packInts([2, 3], [2, 3], [2, 3]))).toThrow(/out has 5 elements, expected 6/);
    expect(() => addon!.binary(0, a, f32(3), f32(6), packInts([2, 3], [2, 3], [2, 3]))).toThrow(/b has 3 elements/);
    expect(() => addon!.binary(0, a, a, f32(6), packInts([2, 3], [3, 2], [2, 3]))).toThrow(/do not broadcast/);
    expect(() => addon!.binary(0, a, a, f32(6), Int32Array.from([3, 3, 3, 2, 3]))).toThrow(/list lengths exceed the array/);
    expect(() => addon!.binary(0, a, a, f32(6), Int32Array.from([2]))).toThrow(/must start with 3 lengths/);
    expect(() => addon!.binary(0, a, a, f32(6), Int32Array.from([-1, 0, 0]))).toThrow(/list lengths exceed/);
    expect(() => addon!.binary(0, a, a, f32(6), Float32Array.from([0, 0, 0]) as unknown as Int32Array)).toThrow(/Int32Array/);
    expect(() => addon!.compare(0, a, a, f32(6) as unknown as Uint8Array, packInts([6], [6], [6]))).toThrow(/Uint8Array/);
    expect(() => addon!.transpose(a, f32(6), packInts([2, 3], [0, 2]))).toThrow(/perm entry out of range/);
    expect(() => addon!.tile(a, f32(6), packInts([2, 3], [2, 1]))).toThrow(/out has 6 elements, expected 12/);
  });
});
