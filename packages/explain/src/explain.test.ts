import * as tf from '@tensorflow/tfjs-core';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  LogSoftmax,
  MaxPool2d,
  ReLU,
  Sequential,
  SumPool1d,
  manualSeed,
} from '@logitlab/layers';
import { BnMlp, MnistConvNet } from '@logitlab/models';
import { describe, expect, it } from 'vitest';
import type { Composite } from './composites';
import { ExplainInputError, ExplainModelError, ExplainOptionsError, ExplainTargetError } from './errors';
import { explain } from './explain';
import { linearMap } from './linear-maps';
import { propagate } from './propagate';
import { wSquareRule, zBoxRule, zPlusRule } from './rules';

const maxAbs = (t: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]!);
const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => maxAbs(tf.sub(a, b)));

/** A small convnet with biases, max-pooling and a log-softmax head. */
function convnet(): Sequential {
  return new Sequential(
    new Conv2d(1, 4, 3),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(36, 8),
    new ReLU(),
    new Dropout(0.5),
    new Linear(8, 5),
    new LogSoftmax(),
  );
}

/** Random running statistics, so canonisation has something to merge. */
function randomizeStats(model: { namedBuffers(): [string, tf.Variable][] }, seed: number): void {
  for (const [name, b] of model.namedBuffers()) {
    if (name.endsWith('running_mean')) b.assign(tf.randomNormal(b.shape, 0, 0.5, 'float32', seed++));
    if (name.endsWith('running_var')) b.assign(tf.randomUniform(b.shape, 0.5, 2, 'float32', seed++));
  }
}

/** A bias-free dense layer with weights [in, out]. */
function dense(w: number[][]) {
  return linearMap(new Linear(w.length, w[0]!.length, { bias: false }), { weight: tf.tensor2d(w), bias: null })!;
}

describe('propagate (hand-computed, dense layer weights [in, out])', () => {
  it('z+ redistributes by positive contributions only', () => {
    // unit 0: x0 w00 = 1 (x1 w10 = -2 is dropped); unit 1: 2 and 2
    const r = propagate(
      zPlusRule(),
      dense([
        [1, 2],
        [-1, 1],
      ]),
      tf.tensor2d([[1, 2]]),
      tf.tensor2d([[3, 8]]),
    );
    expect(Array.from(r.dataSync())).toEqual([7, 4].map((v) => expect.closeTo(v, 5)));
  });
  it('zB spends relevance on the distance of each pixel from the bound its weight points to', () => {
    // one unit, weights [+1, -1], x = [1.5, -0.5], box [-0.5, 1.5]: terms (x-l)w+ = 2, (x-h)w- = 2
    const r = propagate(zBoxRule(-0.5, 1.5), dense([[1], [-1]]), tf.tensor2d([[1.5, -0.5]]), tf.tensor2d([[10]]));
    expect(Array.from(r.dataSync())).toEqual([5, 5].map((v) => expect.closeTo(v, 5)));
  });
  it('w^2 ignores the input', () => {
    const r = propagate(wSquareRule(), dense([[1], [-3]]), tf.tensor2d([[5, -7]]), tf.tensor2d([[10]]));
    expect(Array.from(r.dataSync())).toEqual([1, 9].map((v) => expect.closeTo(v, 5)));
  });
  it('sends nothing through a unit whose every contribution is zero (no NaN)', () => {
    const r = propagate(zPlusRule(), dense([[1], [1]]), tf.tensor2d([[0, 0]]), tf.tensor2d([[0]]));
    expect(Array.from(r.dataSync())).toEqual([0, 0]);
  });
});

describe('identities of the LRP literature', () => {
  it('LRP-epsilon with epsilon -> 0 equals gradient x input on a ReLU net (biases, max-pooling, head skipped)', () => {
    manualSeed(3);
    const net = convnet();
    const x = tf.randomUniform([4, 8, 8, 1], -1, 1, 'float32', 1);
    const before = tf.memory().numTensors;
    const lrp = explain(net, x, { composite: 'epsilon', epsilon: 1e-12 });
    const gxi = explain(net, x, { method: 'gradientTimesInput' });
    expect(maxDiff(lrp.relevance, gxi.relevance)).toBeLessThan(1e-5 * maxAbs(gxi.relevance));
    expect(maxAbs(gxi.relevance)).toBeGreaterThan(0);
    tf.dispose([lrp.relevance, gxi.relevance]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    net.dispose();
  });

  it('deepTaylor conserves f(x) when biases are <= 0, and its relevance is >= 0 on inputs in the box', () => {
    manualSeed(4);
    const net = new Sequential(new Linear(20, 16), new ReLU(), new SumPool1d(4), new Linear(4, 6), new ReLU(), new SumPool1d(6));
    tf.tidy(() => {
      for (const [name, p] of net.namedParameters()) if (name.endsWith('bias')) p.assign(tf.neg(tf.abs(p)));
      for (const [name, p] of net.namedParameters()) if (name === '3.weight') p.assign(tf.add(tf.abs(p), 0.1));
    });
    const x = tf.randomUniform([16, 20], 0, 1, 'float32', 2);
    const e = explain(net, x, { composite: 'deepTaylor', bounds: [0, 1] });
    let fired = 0;
    for (let i = 0; i < 16; i++) {
      if (e.score[i]! > 0) fired++;
      expect(Math.abs(e.conservation.delta[i]!)).toBeLessThan(1e-5 * Math.max(1, e.score[i]!));
    }
    expect(fired).toBeGreaterThan(8); // the check means something only if most samples fire
    expect(tf.tidy(() => tf.min(e.relevance).dataSync()[0]!)).toBeGreaterThanOrEqual(0);
    tf.dispose([e.relevance, x]);
    net.dispose();
  });

  it('z+ relevances are >= 0 for a positive score', () => {
    manualSeed(5);
    const net = convnet();
    const x = tf.randomUniform([6, 8, 8, 1], 0, 1, 'float32', 3);
    const composite: Composite = { conv: zPlusRule(), dense: zPlusRule() };
    const e = explain(net, x, { composite });
    for (let i = 0; i < 6; i++) {
      const r = tf.tidy(() => tf.slice(e.relevance, [i], [1]).dataSync());
      if (e.score[i]! > 0) expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
      else expect(Math.max(...r)).toBeLessThanOrEqual(0);
    }
    tf.dispose([e.relevance, x]);
    net.dispose();
  });
});

describe('BatchNorm canonisation', () => {
  const cases: [string, () => Sequential | BnMlp, number[]][] = [
    ['BatchNorm -> Dropout -> Linear (BnMlp, merged into the next Linear)', () => new BnMlp({ sizes: [12, 10, 6, 3] }), [5, 12]],
    [
      'Linear -> BatchNorm1d (merged into the previous Linear)',
      () => new Sequential(new Linear(12, 10), new BatchNorm1d(10), new ReLU(), new Linear(10, 3)),
      [5, 12],
    ],
    [
      'Conv2d -> BatchNorm2d',
      () => new Sequential(new Conv2d(1, 3, 3, { padding: 1 }), new BatchNorm2d(3), new ReLU(), new Flatten(), new Linear(48, 3)),
      [5, 4, 4, 1],
    ],
  ];
  for (const [label, build, shape] of cases) {
    it(`${label}: LRP-epsilon -> 0 still equals gradient x input; weights and modes untouched`, () => {
      manualSeed(6);
      const net = build();
      randomizeStats(net, 10);
      const x = tf.randomNormal(shape, 0, 1, 'float32', 4);
      const weightsBefore = net.parameters().map((p) => Array.from(p.dataSync()));
      const before = tf.memory().numTensors;
      const lrp = explain(net, x, { composite: 'epsilon', epsilon: 1e-12 });
      const gxi = explain(net, x, { method: 'gradientTimesInput' });
      expect(maxDiff(lrp.relevance, gxi.relevance)).toBeLessThan(1e-4 * maxAbs(gxi.relevance));
      tf.dispose([lrp.relevance, gxi.relevance]);
      expect(tf.memory().numTensors).toBe(before);
      expect(net.parameters().map((p) => Array.from(p.dataSync()))).toEqual(weightsBefore);
      expect(net.training).toBe(true); // explain ran in eval mode and restored train mode
      x.dispose();
      net.dispose();
    });
  }

  it('refuses a BatchNorm with no Linear/Conv next to it', () => {
    const net = new Sequential(new Linear(4, 4), new ReLU(), new BatchNorm1d(4), new ReLU(), new Linear(4, 2));
    const x = tf.zeros([2, 4]);
    expect(() => explain(net, x)).toThrow(ExplainModelError);
    x.dispose();
    net.dispose();
  });
});

describe('targets, heads and options', () => {
  manualSeed(7);
  const net = convnet();
  const x = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 5);

  it('starts at the pre-head logit; output: model starts at the log-probability', () => {
    const logits = tf.tidy(() =>
      (net.at(7) as Linear).call(
        tf.relu(
          (net.at(4) as Linear).call(
            (net.at(3) as Flatten).call(tf.maxPool(tf.relu((net.at(0) as Conv2d).call(x)) as tf.Tensor4D, 2, 2, 'valid')),
          ),
        ),
      ),
    );
    const lv = logits.dataSync();
    const auto = explain(net, x, { method: 'gradient', target: [0, 1, 2] });
    const model = explain(net, x, { method: 'gradient', target: [0, 1, 2], output: 'model' });
    for (let i = 0; i < 3; i++) expect(auto.score[i]).toBeCloseTo(lv[i * 5 + i]!, 5);
    expect(Array.from(auto.target)).toEqual([0, 1, 2]);
    expect(model.score[0]).toBeLessThan(0); // a log-probability
    tf.dispose([logits, auto.relevance, model.relevance]);
  });

  it('one target for all samples, and the default is the predicted class', () => {
    const one = explain(net, x, { target: 4 });
    expect(Array.from(one.target)).toEqual([4, 4, 4]);
    net.eval();
    const predicted = tf.tidy(() => Array.from(tf.argMax(net.call(x), 1).dataSync()));
    net.train();
    const auto = explain(net, x);
    expect(Array.from(auto.target)).toEqual(predicted);
    tf.dispose([one.relevance, auto.relevance]);
  });

  it('typed errors name the bad value', () => {
    const before = tf.memory().numTensors;
    expect(() => explain(net, x, { method: 'deconv' as never })).toThrow(ExplainOptionsError);
    expect(() => explain(net, x, { composite: 'zennit' as never })).toThrow(/unknown composite 'zennit'/);
    expect(() => explain(net, x, { composite: 'deepTaylor' })).toThrow(/needs bounds/);
    expect(() => explain(net, x, { composite: 'deepTaylor', bounds: [1, 0] })).toThrow(/low < high/);
    expect(() => explain(net, x, { composite: { byName: { conv9: zPlusRule() }, conv: zPlusRule(), dense: zPlusRule() } })).toThrow(
      /conv9/,
    );
    expect(() => explain(net, x, { composite: { conv: zPlusRule() } })).toThrow(ExplainModelError);
    expect(() => explain(net, x, { target: 5 })).toThrow(ExplainTargetError);
    expect(() => explain(net, x, { target: [0, 1] })).toThrow(/2 entries for a batch of 3/);
    expect(() => explain(net, x, { target: 0.5 })).toThrow(/0.5/);
    expect(() => explain(net, x, { method: 'gradCam', layer: 'conv1' })).toThrow(/unknown layer 'conv1'/);
    expect(() => explain(net, x, { method: 'occlusion' })).toThrow(/window/);
    expect(() => explain(net, x, { method: 'integratedGradients', steps: 0 })).toThrow(/steps/);
    const wrong = tf.zeros([2, 8, 8, 3]);
    expect(() => explain(net, wrong)).toThrow(ExplainInputError);
    const flat = tf.zeros([4]);
    expect(() => explain(net, flat)).toThrow(ExplainInputError);
    tf.dispose([wrong, flat]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a composite by layer name overrides the type rule (byName conv zB = first-layer zB)', () => {
    const a = explain(net, x, { composite: 'deepTaylor', bounds: [0, 1] });
    const b = explain(net, x, { composite: { byName: { '0': zBoxRule(0, 1) }, conv: zPlusRule(), dense: zPlusRule() } });
    const c = explain(net, x, { composite: { conv: zPlusRule(), dense: zPlusRule() } });
    expect(maxDiff(a.relevance, b.relevance)).toBe(0);
    expect(maxDiff(a.relevance, c.relevance)).toBeGreaterThan(0);
    tf.dispose([a.relevance, b.relevance, c.relevance]);
  });
});

describe('hand-written forward code', () => {
  it('explains MnistConvNet for every head with the same relevance (the head is skipped)', () => {
    manualSeed(8);
    const base = new MnistConvNet({ head: 'logits' });
    const state = base.stateDict();
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 6);
    const ref = explain(base, x, { composite: 'epsilonPlus', target: [3, 8] });
    for (const head of ['logSoftmax', 'softmax', 'sigmoid'] as const) {
      const m = new MnistConvNet({ head });
      m.loadStateDict(state);
      const e = explain(m, x, { composite: 'epsilonPlus', target: [3, 8] });
      expect(maxDiff(e.relevance, ref.relevance), head).toBeLessThan(1e-6 * maxAbs(ref.relevance));
      e.relevance.dispose();
      m.dispose();
    }
    tf.dispose([ref.relevance, x, ...Object.values(state)]);
    base.dispose();
  });
});
