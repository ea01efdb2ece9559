import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** JSON has no literal for non-finite numbers: the fixture scripts write them as strings. */
export type FixtureNumber = number | 'Infinity' | '-Infinity' | 'NaN';

/** A tensor as stored by the fixture scripts (scripts/fixtures/*.py); finite data unless said otherwise. */
export interface FixtureTensor<N extends FixtureNumber = number> {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: N[];
}

const num = (v: FixtureNumber): number => (typeof v === 'number' ? v : Number(v));

export function toTensor(f: FixtureTensor<FixtureNumber>): tf.Tensor {
  return tf.tensor(f.data.map(num), f.shape, f.dtype);
}

/** A case of value and input gradients under an upstream gradient, as make_fixtures.py writes them. */
export interface GradientCase {
  name: string;
  inputs: Record<string, FixtureTensor<FixtureNumber>>;
  output: FixtureTensor<FixtureNumber>;
  upstream: FixtureTensor<FixtureNumber>;
  grads: Record<string, FixtureTensor<FixtureNumber>>;
}

/** Runs `run` on the case's inputs: its value and the gradients of the listed inputs match, and no tensor leaks. */
export function expectGradientCase<C extends GradientCase>(c: C, run: (c: C, inputs: Record<string, tf.Tensor>) => tf.Tensor): void {
  const before = tf.memory().numTensors;
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, toTensor(v)]));
  const diff = Object.keys(c.grads);
  const upstream = toTensor(c.upstream);
  const f = (...xs: tf.Tensor[]) => run(c, { ...inputs, ...Object.fromEntries(diff.map((k, i) => [k, xs[i]!])) });
  const { value, grads } = tf.valueAndGrads(f)(
    diff.map((k) => inputs[k]!),
    upstream,
  );
  expectClose(value, c.output, `${c.name} output`);
  diff.forEach((k, i) => expectClose(grads[i]!, c.grads[k]!, `${c.name} d/d${k}`));
  tf.dispose([value, ...grads, upstream, ...Object.values(inputs)]);
  expect(tf.memory().numTensors).toBe(before);
}

/** PyTorch comparison at rtol 1e-4 / atol 1e-5 (float32 here, float64 in the fixture). */
export function expectClose(actual: tf.Tensor, expected: FixtureTensor<FixtureNumber>, label: string, rtol = 1e-4, atol = 1e-5): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  const a = actual.dataSync();
  const bad: string[] = [];
  expected.data.map(num).forEach((e, i) => {
    const v = a[i] ?? NaN;
    // a non-finite expectation matches only itself (NaN any NaN)
    const ok = Number.isFinite(e) ? Math.abs(v - e) <= atol + rtol * Math.abs(e) : Object.is(v, e) || (Number.isNaN(e) && Number.isNaN(v));
    if (!ok && bad.length < 5) bad.push(`[${i}] got ${v}, want ${e}`);
  });
  expect(bad, `${label}: ${bad.join('; ')}`).toEqual([]);
}
