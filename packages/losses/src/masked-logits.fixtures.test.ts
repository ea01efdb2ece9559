import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, nllLoss, setPitfallWarnings, type Reduction } from './index';

// JSON has no literal for non-finite numbers: scripts/fixtures/make_masked_logits.py writes them as strings
type Num = number | 'Infinity' | '-Infinity' | 'NaN';
interface Tensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Num[];
}
interface Case {
  name: string;
  options: { fn: string; reduction: Reduction; ignoreIndex?: number; labelSmoothing?: number };
  inputs: Record<string, Tensor>;
  output: Tensor;
  upstream: Tensor;
  grads: Record<string, Tensor>;
}
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/masked-logits.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Case[];
};

const num = (v: Num): number => (typeof v === 'number' ? v : Number(v));
const toTensor = (f: Tensor) => tf.tensor(f.data.map(num), f.shape, f.dtype);

function expectSame(actual: tf.Tensor, expected: Tensor, label: string): void {
  expect(actual.shape, label).toEqual(expected.shape);
  const a = Array.from(actual.dataSync());
  const bad = expected.data.map(num).flatMap((e, i) => {
    const v = a[i] as number;
    const ok = Number.isFinite(e) ? Math.abs(v - e) <= 1e-5 + 1e-4 * Math.abs(e) : Object.is(v, e) || (Number.isNaN(e) && Number.isNaN(v));
    return ok ? [] : [`[${i}] got ${v}, want ${e}`];
  });
  expect(bad, label).toEqual([]);
}

function run(c: Case, t: Record<string, tf.Tensor>): tf.Tensor {
  const o = c.options;
  if (o.fn === 'nllLoss') return nllLoss(t['logp']!, t['target']!, { reduction: o.reduction, weight: t['weight'] });
  return crossEntropy(t['logits']!, t['target']!, {
    reduction: o.reduction,
    weight: t['weight'],
    ignoreIndex: o.ignoreIndex ?? -100,
    labelSmoothing: o.labelSmoothing ?? 0,
  });
}

describe(`losses on masked (-Infinity) logits against PyTorch ${fixtures.torch}`, () => {
  beforeAll(() => setPitfallWarnings(false));
  afterAll(() => setPitfallWarnings(true));

  it("gives the issue's two values", () => {
    const ce = tf.tidy(() =>
      crossEntropy(
        tf.tensor2d([
          [-Infinity, 0, 0],
          [0, 1, 2],
        ]),
        tf.tensor1d([1, 1], 'int32'),
      ),
    );
    const nll = tf.tidy(() => nllLoss(tf.tensor2d([[-Infinity, -Math.LN2, -Math.LN2]]), tf.tensor1d([1], 'int32')));
    expect(ce.dataSync()[0]).toBeCloseTo(1.0504, 4);
    expect(nll.dataSync()[0]).toBeCloseTo(Math.LN2, 4); // the 0.6931
    tf.dispose([ce, nll]);
  });

  for (const c of fixtures.cases) {
    it(c.name, () => {
      const before = tf.memory().numTensors;
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, toTensor(v)]));
      const diff = Object.keys(c.grads);
      const upstream = toTensor(c.upstream);
      const f = (...xs: tf.Tensor[]) => run(c, { ...inputs, ...Object.fromEntries(diff.map((k, i) => [k, xs[i]!])) });
      const { value, grads } = tf.valueAndGrads(f)(
        diff.map((k) => inputs[k]!),
        upstream,
      );
      expectSame(value, c.output, `${c.name} output`);
      diff.forEach((k, i) => expectSame(grads[i]!, c.grads[k]!, `${c.name} d/d${k}`));
      tf.dispose([value, ...grads, upstream, ...Object.values(inputs)]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
