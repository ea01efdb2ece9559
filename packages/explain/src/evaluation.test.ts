import * as tf from '@tensorflow/tfjs-core';
import { Linear, ReLU, Sequential, manualSeed } from '@logitlab/layers';
import { pixelFlipping } from '@logitlab/metrics';
import { describe, expect, it } from 'vitest';
import { randomisationCheck, scoreFunction } from './evaluation';
import { explain } from './explain';

describe('evaluation over any model', () => {
  it('scoreFunction scores the pre-head logit of the target, so pixel flipping works on a classifier', async () => {
    // a linear "classifier": class 0 scores 2 x0 + x1, class 1 scores -x0
    const net = new Sequential(new Linear(2, 2, { bias: false }));
    (net.at(0) as Linear).weight.assign(
      tf.tensor2d([
        [2, -1],
        [1, 0],
      ]),
    );
    const score = scoreFunction(net, { sampleShape: [2], target: 0 });
    expect(Array.from(await score(Float32Array.from([1, 1, 3, 0]), 2))).toEqual([3, 6]);
    // gradient x input ranks x0 first (2 vs 1): flipping it to 0 drops the score by 2 at step 1
    const x = tf.tensor2d([[1, 1]]);
    const e = explain(net, x, { method: 'gradientTimesInput', target: 0 });
    const pf = await pixelFlipping(score, x.dataSync(), {
      count: 1,
      relevance: e.relevance.dataSync(),
      steps: 2,
      pixelsPerStep: 1,
      perturbation: 'min',
      range: [0, 1],
    });
    expect(Array.from(pf.scores)).toEqual([3, 1, 0]);
    tf.dispose([x, e.relevance]);
    net.dispose();
  });

  it('randomisation check: correlation 1 before randomising, lower after, weights restored, no leaks', () => {
    manualSeed(9);
    const net = new Sequential(new Linear(16, 12), new ReLU(), new Linear(12, 3));
    const x = tf.randomUniform([6, 16], 0, 1, 'float32', 1);
    const weights = net.parameters().map((p) => Array.from(p.dataSync()));
    const before = tf.memory().numTensors;
    const steps = randomisationCheck(net, x, { method: 'gradientTimesInput' }, { seed: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(steps.map((s) => s.layer)).toEqual(['2', '0']);
    for (const s of steps) expect(s.spearman).toBeLessThan(0.9);
    expect(net.parameters().map((p) => Array.from(p.dataSync()))).toEqual(weights);
    x.dispose();
    net.dispose();
  });
});

describe('randomisation check with a heatmap that carries no ranking', () => {
  it('counts a constant (all-zero) heatmap as correlation 0, not NaN', () => {
    manualSeed(10);
    const net = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    const x = tf.zeros([2, 4]); // gradient x input is 0 everywhere, before and after randomising
    const steps = randomisationCheck(net, x, { method: 'gradientTimesInput' }, { seed: 1 });
    expect(steps.map((s) => s.spearman)).toEqual([0, 0]);
    x.dispose();
    net.dispose();
  });
});
