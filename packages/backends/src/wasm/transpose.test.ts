import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index';
import { onBackend } from '../../test/kernel-test-util';
import { InvalidPermutationError, planTranspose, swapInnermost } from './transpose';

beforeAll(async () => {
  await useBackend('wasm', { threads: 1 });
});

/** Transpose by its definition: out[i_0..i_r] = x[i_perm^-1...], one index at a time. */
function naiveTranspose(x: ArrayLike<number>, shape: number[], perm: number[]): number[] {
  const outShape = perm.map((a) => shape[a]!);
  const size = shape.reduce((a, b) => a * b, 1);
  const inStride = shape.map((_, a) => shape.slice(a + 1).reduce((p, d) => p * d, 1));
  const out: number[] = [];
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    let src = 0;
    for (let o = outShape.length - 1; o >= 0; o--) {
      src += (rest % outShape[o]!) * inStride[perm[o]!]!;
      rest = Math.floor(rest / outShape[o]!);
    }
    out.push(x[src]!);
  }
  return out;
}

// a small deterministic generator: the cases are the same on every run
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function randomCase(random: () => number, rank: number): [number[], number[]] {
  const shape = Array.from({ length: rank }, () => 1 + Math.floor(random() * (rank <= 2 ? 70 : rank <= 4 ? 7 : 4)));
  const perm = Array.from({ length: rank }, (_, i) => i);
  for (let i = rank - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return [shape, perm];
}

const random = lcg(7);
const cases: [number[], number[]][] = [
  [[], []],
  [[5], [0]],
  [
    [1, 1],
    [1, 0],
  ],
  [
    [256, 70],
    [1, 0],
  ], // rows a multiple of 128 (ours), cols past two whole blocks (70 = 2 * 32 + 6)
  [
    [33, 65],
    [1, 0],
  ], // one past the block on both sides
  [
    [3, 40, 33],
    [0, 2, 1],
  ], // batch axis that stays
  [
    [2, 3, 40, 33],
    [0, 1, 3, 2],
  ], // two batch axes, merged
  [
    [1, 40, 1, 33],
    [2, 3, 0, 1],
  ], // size-1 axes dropped: a plain swap
  [
    [4, 5, 6],
    [2, 0, 1],
  ], // the innermost axis moves: strided
  [
    [4, 5, 6],
    [1, 0, 2],
  ], // the innermost axis stays: runs copied whole
  [
    [0, 3],
    [1, 0],
  ],
  [
    [2, 0, 3],
    [2, 0, 1],
  ],
  [
    [64, 12, 12, 10],
    [3, 1, 2, 0],
  ],
  [
    [128, 3, 5],
    [1, 2, 0],
  ], // merged to a [128, 15] swap
  [
    [2, 256, 40],
    [0, 2, 1],
  ],
  ...[1, 2, 3, 4, 5, 6].flatMap((rank) => Array.from({ length: 4 }, () => randomCase(random, rank))),
];

describe('wasm Transpose: blocked copies where stock is slow', () => {
  it.each([
    [1, 256, 784],
    [1, 33, 65], // one past the 32-block on both sides
    [3, 128, 40],
    [2, 1, 7],
    [1, 0, 5],
  ])('swaps the innermost axes of [%i, %i, %i] as the definition does', (batch, rows, cols) => {
    const x = Int32Array.from({ length: batch * rows * cols }, (_, i) => i * 7 - 3);
    const out = new Int32Array(x.length);
    swapInnermost(x, batch, rows, cols, out);
    expect(Array.from(out)).toEqual(naiveTranspose(x, [batch, rows, cols], [0, 2, 1]));
  });

  it('takes only the swaps stock is slow at, after dropping size-1 axes and merging neighbours', () => {
    expect(planTranspose([256, 784], [1, 0])).toEqual({ kind: 'swap', batch: 1, rows: 256, cols: 784 });
    expect(planTranspose([2, 3, 128, 33], [0, 1, 3, 2])).toEqual({ kind: 'swap', batch: 6, rows: 128, cols: 33 });
    expect(planTranspose([1, 256, 1, 30], [2, 3, 0, 1])).toEqual({ kind: 'swap', batch: 1, rows: 256, cols: 30 });
    expect(planTranspose([784, 256], [1, 0])).toEqual({ kind: 'stock' }); // stock writes with stride 784: fast
    expect(planTranspose([256, 12, 10], [2, 0, 1])).toEqual({ kind: 'swap', batch: 1, rows: 3072, cols: 10 });
    expect(planTranspose([4, 256, 10], [2, 1, 0])).toEqual({ kind: 'stock' });
    expect(planTranspose([2, 1, 3], [1, 0, 2])).toEqual({ kind: 'share' });
    expect(planTranspose([0, 256], [1, 0])).toEqual({ kind: 'stock' });
  });

  it.each(['float32', 'int32', 'bool'] as const)('tf.transpose of %s equals cpu bit for bit, freeing everything', async (dtype) => {
    const run = () =>
      tf.tidy(() =>
        cases.map(([shape, perm]) => {
          const size = shape.reduce((a, b) => a * b, 1);
          const values = Array.from({ length: size }, (_, i) => (i === 1 ? Number.NaN : i % 5 === 2 ? -0 : i * 1.25 - 3));
          const x = tf.tensor(values, shape, dtype === 'bool' ? 'float32' : dtype);
          const y = tf.transpose(dtype === 'bool' ? tf.greater(x, 0) : x, perm);
          const data = y.dataSync() as Float32Array | Int32Array | Uint8Array;
          // the bytes, so -0 and NaN payloads compare exactly
          return { shape: y.shape, dtype: y.dtype, bits: Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
        }),
      );
    const cpu = await onBackend('cpu', run);
    const before = await onBackend('wasm', () => [tf.memory().numTensors, tf.engine().backend.numDataIds()]);
    const wasm = await onBackend('wasm', run);
    expect([tf.memory().numTensors, tf.engine().backend.numDataIds()]).toEqual(before);
    expect(wasm).toEqual(cpu);
  });

  it('moves float32 NaN payloads (signalling ones included) unchanged', async () => {
    const bits = Int32Array.from([0x7fa00001, 0xffc00123 | 0, 0x7f800001, 1, 0x80000000 | 0, 0x3f800000]);
    const result = await onBackend('wasm', () =>
      tf.tidy(() => {
        const x = tf.tensor(new Float32Array(bits.buffer), [2, 3]);
        return Array.from(new Int32Array(tf.transpose(x).dataSync().buffer));
      }),
    );
    expect(result).toEqual([bits[0], bits[3], bits[1], bits[4], bits[2], bits[5]]);
  });

  it('shares the data for a permutation that moves nothing, like the stock kernel', async () => {
    const [shape, values, tensors] = await onBackend('wasm', () => {
      const x = tf.tensor([1, 2, 3, 4, 5, 6], [2, 1, 3]);
      const before = tf.engine().backend.numDataIds();
      const y = tf.transpose(x, [1, 0, 2]);
      const shared = tf.engine().backend.numDataIds() === before;
      const result = [y.shape, Array.from(y.dataSync()), shared] as const;
      tf.dispose([x, y]);
      return result;
    });
    expect(shape).toEqual([1, 2, 3]);
    expect(values).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensors).toBe(true);
  });

  it('rejects a perm of the wrong length as cpu does, and one that repeats an axis with a typed error', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await onBackend(backend, () => {
        const x = tf.zeros([2, 3]);
        expect(() => tf.transpose(x, [0])).toThrow(/perm/i);
        x.dispose();
      });
    }
    // tfjs-core lets [0, 0] through (it checks the length and the range only)
    const before = await onBackend('wasm', () => tf.memory().numTensors);
    await onBackend('wasm', () => {
      const x = tf.zeros([2, 3]);
      expect(() => tf.transpose(x, [0, 0])).toThrow(InvalidPermutationError);
      expect(() => tf.transpose(x, [1, 1])).toThrow('Transpose perm [1, 1] is not a permutation of the axes 0..1 of a rank-2 tensor.');
      x.dispose();
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
