import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/repr.json';
import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Dropout2d,
  Flatten,
  Identity,
  Linear,
  LogSoftmax,
  MaxPool2d,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  summaryRows,
  Tanh,
} from './index';

// PyTorch's repr from scripts/fixtures/make_repr_fixtures.py
describe('Module.toString() prints what PyTorch prints', () => {
  const models = {
    sequential: () =>
      new Sequential(
        new Conv2d(1, 4, 3, { padding: 1 }),
        new BatchNorm2d(4),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Dropout(0.2),
        new Linear(784, 10),
        new LogSoftmax(),
      ),
    misc: () =>
      new Sequential(
        new Conv2d(3, 8, [3, 5], { stride: 2, bias: false }),
        new Conv2d(8, 8, 3, { dilation: 2 }),
        new AvgPool2d(2),
        new Dropout2d(0.5),
        new BatchNorm1d(16, { eps: 1e-3, momentum: null, affine: false }),
        new Sigmoid(),
        new Tanh(),
        new Identity(),
        new Softmax(),
        new Linear(16, 4, { bias: false }),
      ),
    nested: () => new Sequential(new Sequential(new Linear(2, 3), new ReLU()), new Linear(3, 1)),
  };
  for (const [name, make] of Object.entries(models)) {
    it(name, () => {
      const m = make();
      expect(m.toString()).toBe(fixtures[name as keyof typeof fixtures]);
      expect(String(m)).toBe(m.toString());
      m.dispose();
    });
  }
});

describe('Module.summary()', () => {
  it('lists every module with its own parameter count, output shapes from one probe pass, and totals, leaking nothing', () => {
    const m = new Sequential({
      conv: new Conv2d(1, 4, 3, { padding: 1 }),
      bn: new BatchNorm2d(4),
      act: new ReLU(),
      pool: new MaxPool2d(2),
      flat: new Flatten(),
      fc: new Linear(784, 10),
    });
    const before = tf.memory().numTensors;
    const rows = summaryRows(m, { inputShape: [2, 28, 28, 1] });
    expect(rows.map((r) => [r.name, r.type, r.params, r.outputShape])).toEqual([
      ['', 'Sequential', 0, [2, 10]],
      ['conv', 'Conv2d', 4 * 9 + 4, [2, 28, 28, 4]],
      ['bn', 'BatchNorm2d', 8, [2, 28, 28, 4]],
      ['act', 'ReLU', 0, [2, 28, 28, 4]],
      ['pool', 'MaxPool2d', 0, [2, 14, 14, 4]],
      ['flat', 'Flatten', 0, [2, 784]],
      ['fc', 'Linear', 7850, [2, 10]],
    ]);
    const text = m.summary({ inputShape: [2, 28, 28, 1] });
    expect(text).toMatch(/fc \(Linear\)\s+\[2, 10\]\s+7,850/);
    expect(text).toMatch(/Total params: 7,898/);
    expect(tf.memory().numTensors).toBe(before);
    expect(m.training).toBe(true); // the probe ran in eval mode and put the mode back
    expect(Object.hasOwn(m.at(0)!, 'call')).toBe(false); // no probe left behind
    m.dispose();
  });

  it('without an input shape lists parameters only', () => {
    const m = new Sequential(new Linear(4, 3), new ReLU());
    expect(m.summary()).toMatch(/0 \(Linear\)\s+15\n/);
    m.dispose();
  });
});
