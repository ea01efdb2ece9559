import { describe, expect, it } from 'vitest';
import { EXPERIMENTS, experimentNames } from './index';

describe('the experiment list', () => {
  it('names each experiment once, and every entry loads a module that can run and headline it', async () => {
    expect(new Set(experimentNames()).size).toBe(EXPERIMENTS.length);
    for (const entry of EXPERIMENTS) {
      expect(entry.description.length, entry.name).toBeGreaterThan(10);
      const experiment = await entry.load();
      expect(typeof experiment.run, entry.name).toBe('function');
      expect(Number.isInteger(experiment.seed), entry.name).toBe(true);
      expect(typeof experiment.headline({ experiment: entry.name, seed: experiment.seed, backend: 'cpu' }), entry.name).toBe('string');
    }
  });

  it("the tour's explain-convnet headline is not empty (its summary's numbers, per head)", async () => {
    const explainConvnet = await EXPERIMENTS.find((e) => e.name === 'explain-convnet')!.load();
    const headline = explainConvnet.headline({
      experiment: 'explain-convnet',
      seed: 7,
      backend: 'cpu',
      heads: [{ head: 'logSoftmax', testAccuracy: 0.97, strokeMass: 0.8 }],
    });
    expect(headline).toBe('logSoftmax: accuracy 0.97, stroke mass 0.8');
  });
});
