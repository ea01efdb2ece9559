// wasm's Relu and its finiteness check (all-finite.ts) against cpu: NaN of either sign kept, the check's overflow
// and degenerate shapes taking the exact path without changing a value, int32 untouched, nothing leaked.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index';
import { onBackend, valuesOf } from '../../test/kernel-test-util';
import { allFinite } from './all-finite';
import type { WasmBackendLike } from './kernel-util';

beforeAll(async () => {
  await useBackend('wasm', { threads: 1 });
});

// a NaN with its sign bit set, as Inf - Inf gives on x86: the stock kernel made it 0 (a tensor made from a
// Float32Array copies the bits into the heap)
const negativeNan = new Float32Array(new Uint32Array([0xffc00000]).buffer)[0]!;
const show = (v: number[]) => v.map((e) => (Number.isNaN(e) ? 'NaN' : Object.is(e, -0) ? '-0' : e));

async function same(make: () => tf.Tensor[]) {
  const want = await onBackend('cpu', () => valuesOf(make));
  const before = await onBackend('wasm', () => tf.memory().numTensors);
  const dataBefore = tf.engine().backend.numDataIds();
  const got = await onBackend('wasm', () => valuesOf(make));
  expect(tf.memory().numTensors).toBe(before);
  expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
  expect(got.map(([d, v]) => [d, show(v)])).toEqual(want.map(([d, v]) => [d, show(v)]));
  return got;
}

describe('wasm Relu', () => {
  it('keeps NaN of either sign, passes infinities, and makes -0 and negatives 0, as cpu', async () => {
    const values = Float32Array.from([negativeNan, Number.NaN, -Infinity, Infinity, -0, -1, 2, 0]);
    const got = await same(() => [tf.relu(tf.tensor2d(values, [2, 4]))]);
    expect(show(got[0]![1])).toEqual(['NaN', 'NaN', 0, Infinity, 0, 0, 2, 0]);
  });

  it('a finite input whose check overflows, scalars, vectors, empty and int32 tensors equal cpu', async () => {
    await same(() => [
      tf.relu(tf.tensor2d([3e38, 3e38, -3e38, 1, 3e38, -2], [3, 2])),
      tf.relu(tf.scalar(-0)),
      tf.relu(tf.scalar(Number.NaN)),
      tf.relu(tf.tensor1d([negativeNan, -5, 5])),
      tf.relu(tf.tensor2d([], [0, 3])),
      tf.relu(tf.tensor1d([-3, 0, 4], 'int32')),
    ]);
  });
});

const check = (values: number[], shape: number[]) =>
  onBackend('wasm', () => {
    const x = tf.tensor(Float32Array.from(values), shape);
    const backend = tf.engine().backend as unknown as WasmBackendLike;
    const dataBefore = tf.engine().backend.numDataIds();
    const finite = allFinite(backend, { dataId: x.dataId, shape: x.shape, dtype: x.dtype });
    // it makes nothing on the backend
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
    x.dispose();
    return finite;
  });

describe('allFinite (wasm)', () => {
  it('is true for finite tensors of every rank, the empty one included', async () => {
    expect(await check([1, -2, 3, 4, -5, 6], [2, 3])).toBe(true);
    expect(await check([1, -2, 3, 4, -5, 6, 7, 8], [2, 2, 1, 2])).toBe(true);
    expect(await check([7], [])).toBe(true);
    expect(await check([], [0, 4])).toBe(true);
  });

  it('is false for NaN of either sign and for each infinity, wherever it sits', async () => {
    for (const bad of [Number.NaN, negativeNan, Infinity, -Infinity]) {
      for (const at of [0, 5, 11]) {
        const v = Array.from({ length: 12 }, (_, i) => (i === at ? bad : i - 6));
        expect(await check(v, [2, 3, 2]), `${bad} at ${at}`).toBe(false);
      }
    }
  });
});
