import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { loadSafetensorsInto } from '@logitlab/layers';
import { Rng } from '@logitlab/core';
import { MnistConvNet, SumPoolExplainer } from '@logitlab/models';
import { afterAll, describe, expect, it } from 'vitest';
import { type FixtureTensor, toTensor } from '../../../scripts/test-utils/fixture-utils';
import { compositeNames } from './composites';
import { explain, type ExplainOptions } from './explain';

// scripts/fixtures/make_explain_fixtures.py: an independent PyTorch 1.13 implementation (float64)
interface Fixture {
  convnet: {
    x: FixtureTensor;
    target: number[];
    logits: FixtureTensor;
    bounds: [number, number];
    lrp: Record<string, FixtureTensor>;
    gradient: FixtureTensor;
    integratedGradients: { steps: number; relevance: FixtureTensor };
    smoothGrad: { n: number; sigma: number; seed: number; relevance: FixtureTensor };
    gradCam: { layer: string; relevance: FixtureTensor };
    occlusion: { window: number; stride: number; relevance: FixtureTensor };
  };
  sumpool: {
    seeds: Record<string, { seed: number; shape: number[]; low: number; high: number }>;
    output: FixtureTensor;
    bounds: [number, number];
    lrp: Record<string, FixtureTensor>;
    gradient: FixtureTensor;
    integratedGradients: { steps: number; relevance: FixtureTensor };
  };
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/explain.json', import.meta.url), 'utf8')) as Fixture;

/** The tolerance: 1e-4 of the reference map's max |value|, plus 1e-3 relative. */
function expectMapClose(actual: tf.Tensor, expected: FixtureTensor, label: string): void {
  expect(actual.shape, label).toEqual(expected.shape);
  const a = actual.dataSync();
  const scale = Math.max(...expected.data.map(Math.abs));
  const bad: string[] = [];
  expected.data.forEach((e, i) => {
    const v = a[i]!;
    if (!(Math.abs(v - e) <= 1e-4 * scale + 1e-3 * Math.abs(e)) && bad.length < 4) bad.push(`[${i}] got ${v}, want ${e}`);
  });
  expect(bad, `${label} (max |R| ${scale}): ${bad.join('; ')}`).toEqual([]);
  expect(scale, `${label}: a map of zeros would test nothing`).toBeGreaterThan(0);
}

function asFixture(t: tf.Tensor): FixtureTensor {
  return { shape: t.shape, dtype: 'float32', data: Array.from(t.dataSync()) };
}

describe('seed convnet with PyTorch-trained weights, against the PyTorch reference', () => {
  const c = fixture.convnet;
  const model = new MnistConvNet({ head: 'logSoftmax' });
  loadSafetensorsInto(model, new Uint8Array(readFileSync(new URL('./fixtures/convnet-trained.safetensors', import.meta.url))));
  const x = toTensor(c.x);
  afterAll(() => {
    x.dispose();
    model.dispose();
  });

  const check = (options: ExplainOptions, expected: FixtureTensor, label: string): void => {
    const before = tf.memory().numTensors;
    const e = explain(model, x, options);
    expect(Array.from(e.target), `${label}: default target is the predicted class`).toEqual(c.target);
    expect(
      Array.from(e.score)
        .map((v, i) => v - c.logits.data[i * 10 + c.target[i]!]!)
        .every((d) => Math.abs(d) < 1e-4),
      `${label}: starts at the pre-head logit`,
    ).toBe(true);
    expectMapClose(e.relevance, expected, label);
    e.relevance.dispose();
    expect(tf.memory().numTensors, `${label}: no leaks`).toBe(before);
  };

  for (const composite of compositeNames) {
    it(`lrp '${composite}'`, () => check({ method: 'lrp', composite, bounds: c.bounds }, c.lrp[composite]!, composite));
  }

  it('gradient, gradientTimesInput and sensitivity', () => {
    check({ method: 'gradient' }, c.gradient, 'gradient');
    const g = toTensor(c.gradient);
    const gxi = tf.mul(g, x);
    const sens = tf.square(g);
    const [gxiF, sensF] = [asFixture(gxi), asFixture(sens)];
    tf.dispose([g, gxi, sens]);
    check({ method: 'gradientTimesInput' }, gxiF, 'gradientTimesInput');
    check({ method: 'sensitivity' }, sensF, 'sensitivity');
  });

  it('integratedGradients (midpoint rule, zero baseline)', () =>
    check({ method: 'integratedGradients', steps: c.integratedGradients.steps }, c.integratedGradients.relevance, 'IG'));

  it('smoothGrad (the same seeded noise)', () => {
    const { n, sigma, seed, relevance } = c.smoothGrad;
    check({ method: 'smoothGrad', n, sigma, seed }, relevance, 'smoothGrad');
  });

  it('gradCam on conv2', () => check({ method: 'gradCam', layer: c.gradCam.layer }, c.gradCam.relevance, 'gradCam'));

  it('occlusion with overlapping windows and uncovered edges', () =>
    check({ method: 'occlusion', window: c.occlusion.window, stride: c.occlusion.stride }, c.occlusion.relevance, 'occlusion'));
});

describe('sum-pool network (Montavon et al. 2017), against the PyTorch reference', () => {
  const s = fixture.sumpool;
  /** The same mulberry32 draws as the Python script. */
  const draw = (key: string): tf.Tensor => {
    const { seed, shape, low, high } = s.seeds[key]!;
    const rng = new Rng(seed);
    return tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(low, high)),
      shape,
    );
  };
  const model = new SumPoolExplainer();
  const state = Object.fromEntries(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'].map((k) => [k, draw(k)]));
  model.loadStateDict(state);
  tf.dispose(Object.values(state));
  const x = draw('x');
  afterAll(() => {
    x.dispose();
    model.dispose();
  });

  const check = (options: ExplainOptions, expected: FixtureTensor, label: string): void => {
    const before = tf.memory().numTensors;
    const e = explain(model, x, options);
    expect(e.score[0]).toBeCloseTo(s.output.data[0]!, 1);
    expectMapClose(e.relevance, expected, label);
    e.relevance.dispose();
    expect(tf.memory().numTensors).toBe(before);
  };
  for (const composite of ['epsilon', 'epsilonGammaBox', 'deepTaylor'] as const) {
    it(`lrp '${composite}'`, () => check({ composite, bounds: s.bounds }, s.lrp[composite]!, composite));
  }
  it('gradient and integratedGradients', () => {
    check({ method: 'gradient' }, s.gradient, 'gradient');
    check({ method: 'integratedGradients', steps: s.integratedGradients.steps }, s.integratedGradients.relevance, 'IG');
  });
});
