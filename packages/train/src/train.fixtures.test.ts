import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '@logitlab/losses';
import { Linear } from '@logitlab/layers';
import { expectClose, type FixtureTensor, toTensor } from '../../../scripts/test-utils/fixture-utils';
import fixtures from './fixtures/train.json';
import { cosineAnnealingLR, fit, type LrScheduler, oneCycleLR, reduceLROnPlateau, stepLR, trainStep } from './index';
import type { FitOptions } from './fit';

// PyTorch references from scripts/fixtures/make_train_fixtures.py (torch 1.13).
type Options = Record<string, unknown>;
const makers: Record<string, (o: Options) => LrScheduler> = {
  stepLR: (o) => stepLR(o as never),
  cosineAnnealingLR: (o) => cosineAnnealingLR(o as never),
  oneCycleLR: (o) => oneCycleLR(o as never),
  reduceLROnPlateau: (o) => reduceLROnPlateau(o as never),
};

describe('learning-rate schedulers match torch.optim.lr_scheduler', () => {
  for (const c of fixtures.schedules) {
    it(`${c.name}(${JSON.stringify(c.options)})`, () => {
      const s = makers[c.name]!(c.options);
      const got = [s.init(c.baseLr)];
      for (let i = 0; i < c.lrs.length - 1; i++) got.push(s.step(c.metrics?.[i]));
      got.forEach((lr, i) => expect(lr, `lr after ${i} steps`).toBeCloseTo(c.lrs[i]!, 12));
    });
  }

  it('a scheduler resumed from its state continues the same sequence', () => {
    const a = cosineAnnealingLR({ tMax: 5 });
    a.init(0.1);
    for (let i = 0; i < 3; i++) a.step();
    const b = cosineAnnealingLR({ tMax: 5 });
    b.load(a.state());
    expect([b.step(), b.step()]).toEqual([a.step(), a.step()]);
  });
});

interface StepCase {
  name: string;
  options: {
    optimizer: string;
    lr: number;
    momentum?: number;
    accumulateSteps?: number;
    gradClip?: FitOptions<Linear>['gradClip'];
    weightDecay?: FitOptions<Linear>['weightDecay'];
    scheduler?: { name: string; options: Options };
  };
  weight: FixtureTensor;
  bias: FixtureTensor;
  losses: number[];
}

function linearFromFixture(): Linear {
  const model = new Linear(3, 2);
  const w = toTensor(fixtures.init.weight as FixtureTensor);
  const b = toTensor(fixtures.init.bias as FixtureTensor);
  model.loadStateDict({ weight: w, bias: b });
  tf.dispose([w, b]);
  return model;
}

function optimizerFor(o: StepCase['options']): tf.Optimizer {
  if (o.optimizer === 'momentum') return tf.train.momentum(o.lr, o.momentum ?? 0.9);
  if (o.optimizer === 'adam') return tf.train.adam(o.lr, 0.9, 0.999, 1e-8);
  return tf.train.sgd(o.lr);
}

const batches = () =>
  fixtures.init.x.map((x, i) => ({ x: toTensor(x as FixtureTensor), y: toTensor(fixtures.init.y[i] as FixtureTensor) }));

describe('fit steps match PyTorch (clipping, accumulation, weight decay, schedule)', () => {
  for (const c of fixtures.steps as StepCase[]) {
    it(c.name, async () => {
      const model = linearFromFixture();
      const optimizer = optimizerFor(c.options);
      const before = tf.memory().numTensors;
      const res = await fit(model, {
        loss: crossEntropy,
        optimizer,
        data: batches(),
        epochs: 1,
        checkEvery: 1,
        gradClip: c.options.gradClip,
        weightDecay: c.options.weightDecay,
        accumulateSteps: c.options.accumulateSteps,
        scheduler: c.options.scheduler ? makers[c.options.scheduler.name]!(c.options.scheduler.options) : undefined,
      });
      res.losses.forEach((l, i) => expect(l, `loss ${i}`).toBeCloseTo(c.losses[i]!, 5));
      const sd = model.stateDict();
      expectClose(sd['weight']!, c.weight, `${c.name} weight`);
      expectClose(sd['bias']!, c.bias, `${c.name} bias`);
      tf.dispose(Object.values(sd));
      // the optimizer's slots are the only new tensors
      const slots = c.options.optimizer === 'sgd' ? 0 : c.options.optimizer === 'momentum' ? 2 : 4;
      expect(tf.memory().numTensors).toBe(before + slots);
      optimizer.dispose();
      model.dispose();
    });
  }

  it('trainStep takes exactly one optimiser step with the same options', () => {
    const c = (fixtures.steps as StepCase[]).find((s) => s.name === 'adamw-decoupled-clipvalue')!;
    const model = linearFromFixture();
    const optimizer = optimizerFor(c.options);
    const data = batches();
    for (const b of data) {
      tf.dispose(trainStep(model, b, { loss: crossEntropy, optimizer, gradClip: c.options.gradClip, weightDecay: c.options.weightDecay }));
      tf.dispose([b.x, b.y]);
    }
    expect(optimizer.iterations).toBe(4);
    const sd = model.stateDict();
    expectClose(sd['weight']!, c.weight, 'trainStep weight');
    tf.dispose(Object.values(sd));
    optimizer.dispose();
    model.dispose();
  });
});
