import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index';
import { onBackend } from '../../test/kernel-test-util';

beforeAll(async () => {
  await useBackend('wasm', { threads: 1 });
});

// float32 values by their order, to count ulps between two of them
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
function ordinal(v: number): number {
  f32[0] = v;
  return i32[0]! < 0 ? -(i32[0]! & 0x7fffffff) : i32[0]!;
}

function ulpsApart(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    if (Object.is(a[i], b[i])) continue;
    const d = Number.isNaN(a[i]!) || Number.isNaN(b[i]!) || a[i] === 0 ? Infinity : Math.abs(ordinal(a[i]!) - ordinal(b[i]!));
    worst = Math.max(worst, d);
  }
  return worst;
}

const specials = [Number.NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 1e-30, 88.72283, 88.72284, -103.9, -104, 9.01, -9.02, 30];
const values = [...specials, ...Array.from({ length: 5000 }, (_, i) => Math.sin(i * 12.9898) * 25)];

const expOfInt32 = () =>
  tf.tidy(() => {
    const y = tf.exp(tf.tensor1d([-3, 0, 2, 50, 100], 'int32'));
    return { dtype: y.dtype, values: Array.from(y.dataSync()) };
  });

describe('wasm Exp and Tanh computed in JS float64', () => {
  it.each([
    ['exp', tf.exp],
    ['tanh', tf.tanh],
  ] as const)(
    "%s of float32 is within 1 ulp of cpu (Math's float64 rounded once), specials included, freeing everything",
    async (_name, op) => {
      const run = () =>
        tf.tidy(() => {
          const y = op(tf.tensor2d(values, [values.length / 5, 5]));
          return { shape: y.shape, dtype: y.dtype, values: y.dataSync() as Float32Array };
        });
      const cpu = await onBackend('cpu', run);
      const before = await onBackend('wasm', () => [tf.memory().numTensors, tf.engine().backend.numDataIds()]);
      const wasm = await onBackend('wasm', run);
      expect([tf.memory().numTensors, tf.engine().backend.numDataIds()]).toEqual(before);
      expect([wasm.shape, wasm.dtype]).toEqual([cpu.shape, cpu.dtype]);
      expect(ulpsApart(wasm.values, cpu.values)).toBeLessThanOrEqual(1);
      expect(Object.is(wasm.values[4], cpu.values[4])).toBe(true); // -0 keeps its sign (tanh) or gives 1 (exp)
    },
  );

  it('leaves int32 input to the stock kernel: exp of int32 is float32, as on cpu (tf.tanh takes float32 only)', async () => {
    const cpu = await onBackend('cpu', expOfInt32);
    const wasm = await onBackend('wasm', expOfInt32);
    expect(wasm.dtype).toBe('float32');
    expect(cpu.dtype).toBe('float32');
    expect(ulpsApart(wasm.values, cpu.values)).toBeLessThanOrEqual(1);
  });

  it('gives empty and scalar tensors their shapes', async () => {
    const [empty, scalar] = await onBackend('wasm', () =>
      tf.tidy(() => [tf.exp(tf.zeros([0, 3])), tf.tanh(tf.scalar(-0.5))].map((y) => [y.shape, Array.from(y.dataSync())])),
    );
    expect(empty).toEqual([[0, 3], []]);
    expect(scalar).toEqual([[], [Math.fround(Math.tanh(-0.5))]]);
  });
});
