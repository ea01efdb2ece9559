import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { ExplainModelError, explain } from '@logitlab/explain';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FixtureTensor, toTensor } from '../../../../scripts/test-utils/fixture-utils';
import { importOnnx } from '../import-onnx';
import { fixtureBytes } from '../test-support';
import { registerOnnxLrpLayers } from './index';

// packages/onnx/scripts/make_fixtures.py: lrp_resnet is an independent float64 PyTorch implementation
// (BatchNorm merged into its conv, z+ for convs, epsilon 1e-6 for the fc, proportional for the
// residual sums and the global average pool, ReLU passes relevance)
interface Fixtures {
  resnet: { input: FixtureTensor; lrp: { composite: 'epsilonPlus'; target: number[]; relevance: FixtureTensor } };
  residual: { input: FixtureTensor };
  ops: { input: FixtureTensor };
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/fixtures.json', import.meta.url), 'utf8')) as Fixtures;

const maxAbs = (t: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]!);
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('LRP through imported graphs', () => {
  beforeAll(() => registerOnnxLrpLayers());

  it('matches a float64 PyTorch LRP of the ResNet (EpsilonPlus, BatchNorm canonised, residual sums split in proportion)', () => {
    const { input, lrp } = fixtures.resnet;
    const model = importOnnx(fixtureBytes('resnet'));
    const x = toTensor(input);
    const want = toTensor(lrp.relevance);
    const before = tf.memory().numTensors;
    const e = explain(model, x, { composite: lrp.composite, target: lrp.target });
    expect(e.relevance.shape).toEqual(want.shape);
    // relative to the map's scale: float32 against float64 through eight layers
    expect(maxDiff(e.relevance, want) / maxAbs(want)).toBeLessThan(1e-4);
    // conservation is reported as for any model: the relevance total is the reference map's
    const totals = tf.tidy(() => Array.from(tf.sum(want, [1, 2, 3]).dataSync()));
    totals.forEach((t, i) => expect(e.conservation.total[i]).toBeCloseTo(t, 4));
    tf.dispose(e.relevance);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, want]);
    model.dispose();
  });

  it('LRP-0 equals gradient x input on a bias-free ReLU network with residual adds', () => {
    const model = importOnnx(fixtureBytes('residual'));
    expect(model.namedModules().filter(([, m]) => m.typeName === 'Sum')).toHaveLength(2);
    const x = toTensor(fixtures.residual.input);
    const before = tf.memory().numTensors;
    const lrp0 = explain(model, x, { composite: 'epsilon', epsilon: 0, target: 2 });
    const gxi = explain(model, x, { method: 'gradientTimesInput', target: 2 });
    expect(maxAbs(gxi.relevance)).toBeGreaterThan(0);
    expect(maxDiff(lrp0.relevance, gxi.relevance) / maxAbs(gxi.relevance)).toBeLessThan(1e-5);
    // and conserved: no biases anywhere
    expect(Math.max(...lrp0.conservation.relError)).toBeLessThan(1e-4);
    tf.dispose([lrp0.relevance, gxi.relevance]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });

  it('refuses an operator with no LRP rule by its node name, while gradient methods still run', () => {
    const model = importOnnx(fixtureBytes('ops'));
    const x = toTensor(fixtures.ops.input);
    const before = tf.memory().numTensors;
    expect(() => explain(model, x, { composite: 'epsilonPlus' })).toThrow(ExplainModelError);
    expect(() => explain(model, x, { composite: 'epsilonPlus' })).toThrow(/'sub' \(SubConstant\)/);
    const g = explain(model, x, { method: 'gradient', target: 1 });
    expect(g.relevance.shape).toEqual(x.shape);
    tf.dispose(g.relevance);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });
});
