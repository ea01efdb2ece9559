import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** A tensor as stored by scripts/fixtures/make_fixtures.py. */
export interface FixtureTensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: number[];
}

export function toTensor(f: FixtureTensor): tf.Tensor {
  return tf.tensor(f.data, f.shape, f.dtype);
}

/** PyTorch comparison at rtol 1e-4 / atol 1e-5 (float32 here, float64 in the fixture). */
export function expectClose(actual: tf.Tensor, expected: FixtureTensor, label: string, rtol = 1e-4, atol = 1e-5): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  const a = actual.dataSync();
  const bad: string[] = [];
  expected.data.forEach((e, i) => {
    const v = a[i] ?? NaN;
    const ok = Number.isNaN(e) ? Number.isNaN(v) : Math.abs(v - e) <= atol + rtol * Math.abs(e);
    if (!ok && bad.length < 5) bad.push(`[${i}] got ${v}, want ${e}`);
  });
  expect(bad, `${label}: ${bad.join('; ')}`).toEqual([]);
}
