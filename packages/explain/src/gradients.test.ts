import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, Flatten, Linear, ReLU, Sequential, manualSeed } from '@logitlab/layers';
import { describe, expect, it } from 'vitest';
import { explain } from './explain';

// Integrated gradients stacks several steps per pass (up to 128 images): a batch of 1 runs all 7 steps
// in one pass, a batch of 50 runs them 2, 2, 2, 1 at a time. Each image's map must not depend on that.
describe('integrated gradients over stacked steps', () => {
  it('gives every image the map it gets alone, conserves f(x) - f(b), and leaks nothing', () => {
    manualSeed(11);
    const net = new Sequential(new Conv2d(1, 3, 3), new ReLU(), new Flatten(), new Linear(108, 4));
    const x = tf.randomUniform([50, 8, 8, 1], 0, 1, 'float32', 5);
    const before = tf.memory().numTensors;
    const batch = explain(net, x, { method: 'integratedGradients', steps: 7 });
    const all = batch.relevance.arraySync() as number[][][][];
    let worst = 0;
    for (const i of [0, 17, 49]) {
      const one = tf.slice(x, i, 1);
      const alone = explain(net, one, { method: 'integratedGradients', steps: 7, target: [batch.target[i]!] });
      const a = (alone.relevance.arraySync() as number[][][][])[0]!.flat(2);
      const b = all[i]!.flat(2);
      for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j]! - b[j]!));
      // a wrong target pairing in the stacked pass would move sum(R) away from the image's own score gap
      expect(Math.abs(a.reduce((s, v) => s + v, 0) - b.reduce((s, v) => s + v, 0))).toBeLessThan(1e-4);
      tf.dispose([one, alone.relevance]);
    }
    expect(worst).toBeLessThan(1e-5);
    expect(Math.max(...batch.conservation.relError)).toBeLessThan(0.2);
    batch.relevance.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    net.dispose();
  });
});
