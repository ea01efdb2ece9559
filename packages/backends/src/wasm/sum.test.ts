import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index';
import { onBackend, relativeError } from '../../test/kernel-test-util';
import { leadingAxes } from './sum';

beforeAll(async () => {
  await useBackend('wasm', { threads: 1 });
});

describe('wasm Sum over leading axes (bias gradients)', () => {
  it('recognises exactly the leading axes, not all of them', () => {
    expect(leadingAxes([0, 1, 2], [4, 3, 3, 2])).toBe(3);
    expect(leadingAxes([1, 0], [4, 3, 2])).toBe(2);
    expect(leadingAxes(0, [4, 3])).toBe(1);
    expect(leadingAxes([-3], [4, 3, 2])).toBe(1);
    expect(leadingAxes([0, 2], [4, 3, 2])).toBe(0);
    expect(leadingAxes([1], [4, 3])).toBe(0);
    expect(leadingAxes([0, 1], [4, 3])).toBe(0); // all axes: stock kernel
    expect(leadingAxes(null, [4, 3])).toBe(0);
  });

  it.each([
    [[64, 24, 24, 10], [0, 1, 2], false],
    [[5, 7, 3], [0, 1], true],
    [[6, 4], 0, false],
    [[6, 4], [0], true],
    [[3, 4, 5], [0, 2], false], // not leading: stock path
    [[3, 4, 5], null, false],
  ] as const)('x%j axis %j keepDims %s equals cpu', async (shape, axis, keepDims) => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([...shape], 0, 1, 'float32', 31);
        const y = tf.sum(x, (axis ?? undefined) as number | number[] | undefined, keepDims);
        return { shape: y.shape, values: y.dataSync() };
      });
    const cpu = await onBackend('cpu', run);
    const dataBefore = await onBackend('wasm', () => tf.engine().backend.numDataIds());
    const wasm = await onBackend('wasm', run);
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(relativeError(wasm.values, cpu.values)).toBeLessThan(1e-5);
  });
});
