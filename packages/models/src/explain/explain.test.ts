import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ModelInputError, ModelOptionsError } from '../errors';
import { explain, type DeepTaylorExplainable, type DenseStage } from './explain';
import { propagate } from './propagate';
import { wSquareRule, zBRule, zPlusRule, zRule } from './rules';

const ctx = { low: -0.5, high: 1.5 };

/** A tiny sum-pool net (d -> 8 ReLU -> sum-pool 2 -> 4 -> 6 ReLU -> sum) on raw tensors. */
function tinyNet(d: number, seed: number, biasSign = -1): DeepTaylorExplainable & { dispose(): void } {
  const w1 = tf.randomNormal([8, d], 0, 0.5, 'float32', seed) as tf.Tensor2D;
  const b1 = tf.mul(biasSign, tf.randomUniform([8], 0, 0.2, 'float32', seed + 1)) as tf.Tensor1D;
  const pool = tf.tensor2d([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1], [4, 8]);
  const w2 = tf.randomNormal([6, 4], 0.3, 0.5, 'float32', seed + 2) as tf.Tensor2D;
  const b2 = tf.mul(biasSign, tf.randomUniform([6], 0, 0.2, 'float32', seed + 3)) as tf.Tensor1D;
  const stages = (): DenseStage[] => [
    { weight: w1.clone(), bias: b1.clone(), activation: 'relu', rule: 'input' },
    { weight: pool.clone(), activation: 'linear', rule: 'z' },
    { weight: w2.clone(), bias: b2.clone(), activation: 'relu', rule: 'zPlus' },
  ];
  return {
    inputSize: d,
    deepTaylorStages: stages,
    forward: (x) =>
      tf.tidy(() => {
        const flat = tf.reshape(x, [-1, d]) as tf.Tensor2D;
        const h1 = tf.relu(tf.add(tf.matMul(flat, w1, false, true), b1)) as tf.Tensor2D;
        const p = tf.matMul(h1, pool, false, true);
        return tf.sum(tf.relu(tf.add(tf.matMul(p, w2, false, true), b2)), 1, true);
      }),
    dispose: () => tf.dispose([w1, b1, pool, w2, b2]),
  };
}

describe('propagate', () => {
  it('z+ redistributes by positive contributions only (hand-computed)', () => {
    const x = tf.tensor2d([[1, 2]]);
    const w = tf.tensor2d([[1, -1], [2, 1]]); // unit 0: +1 from x0 only; unit 1: 2 and 2
    const r = propagate(zPlusRule(), x, w, tf.tensor2d([[3, 8]]), ctx);
    expect(Array.from(r.dataSync())).toEqual([3 + 4, 4].map((v) => expect.closeTo(v, 5)));
  });

  it('zB spends relevance on the distance of each pixel from the bound its weight points to', () => {
    // one unit, weights [+1, -1], x = [1.5, -0.5]: terms (x-l)w+ = 2, (x-h)w- = 2
    const r = propagate(zBRule(), tf.tensor2d([[1.5, -0.5]]), tf.tensor2d([[1, -1]]), tf.tensor2d([[10]]), ctx);
    expect(Array.from(r.dataSync())).toEqual([expect.closeTo(5, 5), expect.closeTo(5, 5)]);
    // a pixel sitting at the bound its weight prefers gets nothing
    const r2 = propagate(zBRule(), tf.tensor2d([[-0.5, -0.5]]), tf.tensor2d([[1, -1]]), tf.tensor2d([[4]]), ctx);
    expect(Array.from(r2.dataSync())).toEqual([expect.closeTo(0, 5), expect.closeTo(4, 5)]);
  });

  it('w^2 ignores the input and z passes in proportion to activations', () => {
    const w2 = propagate(wSquareRule(), tf.tensor2d([[5, -7]]), tf.tensor2d([[1, -3]]), tf.tensor2d([[10]]), ctx);
    expect(Array.from(w2.dataSync())).toEqual([expect.closeTo(1, 5), expect.closeTo(9, 5)]);
    const z = propagate(zRule(), tf.tensor2d([[1, 3]]), tf.tensor2d([[1, 1]]), tf.tensor2d([[8]]), ctx);
    expect(Array.from(z.dataSync())).toEqual([expect.closeTo(2, 5), expect.closeTo(6, 5)]);
  });

  it('sends nothing through a unit whose every contribution is zero (no NaN)', () => {
    const r = propagate(zPlusRule(), tf.tensor2d([[0, 0]]), tf.tensor2d([[1, 1]]), tf.tensor2d([[0]]), ctx);
    expect(Array.from(r.dataSync())).toEqual([0, 0]);
  });
});

describe('explain (Deep Taylor on random weights)', () => {
  const d = 24;
  const images = (n: number, seed: number) => tf.randomUniform([n, d], -0.5, 1.5, 'float32', seed);

  for (const rule of ['zB', 'zPlus', 'wSquare'] as const) {
    it(`${rule}: conserves f(x) per image, relevance >= 0, shaped like x, no leaks`, () => {
      const net = tinyNet(d, 7);
      const x = images(64, 1);
      const before = tf.memory().numTensors;
      const { relevance, conservation } = explain(net, x, { inputRule: rule });
      expect(relevance.shape).toEqual(x.shape);
      expect(tf.memory().numTensors).toBe(before + 1);
      const f = net.forward(x);
      const fv = f.dataSync();
      let positives = 0;
      for (let i = 0; i < 64; i++) {
        expect(conservation.output[i]).toBeCloseTo(fv[i]!, 4);
        if (fv[i]! > 0) {
          positives++;
          expect(conservation.relError[i]).toBeLessThan(1e-4);
        }
        expect(Math.abs(conservation.total[i]! - conservation.output[i]!)).toBeLessThan(1e-4 * Math.max(1, fv[i]!));
      }
      expect(positives).toBeGreaterThan(20); // the test means something only if most images fire
      expect(tf.min(relevance).dataSync()[0]).toBeGreaterThanOrEqual(0);
      tf.dispose([relevance, x, f]);
      net.dispose();
    });
  }

  it('keeps the image shape of a 4-D batch', () => {
    const net = tinyNet(d, 3);
    const x = tf.randomUniform([5, 4, 6, 1], -0.5, 1.5, 'float32', 9);
    const out = explain(net, x);
    expect(out.relevance.shape).toEqual([5, 4, 6, 1]);
    expect(out.conservation.total.length).toBe(5);
    tf.dispose([x, out.relevance]);
    net.dispose();
  });

  it('sensitivity and gradient x input match the hand-derived gradient, without leaks', () => {
    const net = tinyNet(d, 11);
    const x = images(8, 2);
    const before = tf.memory().numTensors;
    const sens = explain(net, x, { method: 'sensitivity' });
    const gxi = explain(net, x, { method: 'gradientTimesInput' });
    expect(tf.memory().numTensors).toBe(before + 2);
    const g = tf.grad((t: tf.Tensor) => tf.sum(net.forward(t)))(x);
    const expectedSens = tf.square(g);
    const expectedGxi = tf.mul(x, g);
    expect(tf.max(tf.abs(tf.sub(sens.relevance, expectedSens))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(gxi.relevance, expectedGxi))).dataSync()[0]).toBeLessThan(1e-6);
    expect(sens.conservation.output).toEqual(gxi.conservation.output);
    tf.dispose([x, g, expectedSens, expectedGxi, sens.relevance, gxi.relevance]);
    net.dispose();
  });

  it('rejects unknown methods, rules, bad bounds and wrongly sized inputs with typed errors', () => {
    const net = tinyNet(d, 5);
    const x = images(2, 3);
    expect(() => explain(net, x, { method: 'lrp' as never })).toThrow(ModelOptionsError);
    expect(() => explain(net, x, { inputRule: 'alphaBeta' as never })).toThrow(/unknown inputRule 'alphaBeta'/);
    expect(() => explain(net, x, { bounds: [1, 0] })).toThrow(/low < high/);
    const wrong = tf.zeros([2, d + 1]);
    expect(() => explain(net, wrong)).toThrow(ModelInputError);
    tf.dispose([x, wrong]);
    net.dispose();
  });
});
