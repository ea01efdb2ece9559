import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { pairedDigits, syntheticDigits } from '@logitlab/datasets';
import { manualSeed, setPitfallWarnings } from '@logitlab/layers';
import { evaluate, fit } from '@logitlab/train';
import type { Module } from '@logitlab/layers';
import { fitOptionsOf, recipe, RECIPE_IDS, RECIPES, UnknownRecipeError, type Recipe, type RecipeData } from './index';

const digits = syntheticDigits({ count: 40, seed: 3 });
const pairs = pairedDigits(digits, { count: 8, seed: 4 });
const dataFor = (kind: string): RecipeData =>
  kind === 'pairs'
    ? { images: pairs.images, count: pairs.count, targets: pairs.targets }
    : { images: digits.images.slice(0, 8 * 784), count: 8, targets: digits.labels.slice(0, 8) };

// The contract every entry keeps, whatever its model: builds, feeds, trains a step through fit, scores, leaks nothing.
describe('recipe registry contract', () => {
  it('lists eleven recipes: four convnet heads, bn-mlp, the explainer, three linear VAEs, the autoencoder, the hidden-layer VAE', () => {
    expect(RECIPE_IDS).toEqual([
      'convnet-logits',
      'convnet-logSoftmax',
      'convnet-softmax',
      'convnet-sigmoid',
      'bn-mlp',
      'explainer',
      'vae-0.5',
      'vae-1',
      'vae-5',
      'autoencoder',
      'vae-mlp',
    ]);
  });

  for (const id of RECIPE_IDS) {
    it(`${id}: model, optimiser, variants, data preparation and one fit epoch`, async () => {
      setPitfallWarnings(false); // the softmax / sigmoid heads into nllLoss are the lesson, not a mistake here
      const r: Recipe<Module, unknown> = recipe(id);
      expect(r.id).toBe(id);
      expect(RECIPES[id]).toBe(r);
      for (const v of [r.variants.quick, r.variants.full]) {
        for (const n of [v.epochs, v.batchSize, v.trainCount, v.testCount]) expect(Number.isInteger(n) && n > 0).toBe(true);
      }
      expect(r.variants.quick.epochs).toBeLessThanOrEqual(r.variants.full.epochs);
      expect(r.variants.quick.trainCount).toBeLessThanOrEqual(r.variants.full.trainCount);
      expect(r.data === 'pairs').toBe(r.variants.quick.pairs !== undefined);
      expect(r.describe('quick')).toContain(`${r.variants.quick.epochs} epoch`);
      expect(r.describe('full', { lr: 0.5 })).toContain('lr 0.5');
      manualSeed(1);
      const model = r.create();
      const optimizer = r.makeOptimizer();
      expect(optimizer.getConfig()['learningRate']).toBe(r.optimizer.lr);
      const data = dataFor(r.data);
      const prepared = r.prepareInputs(data.images);
      expect(prepared.length).toBe(data.images.length);
      const before = tf.memory().numTensors;
      const opts = fitOptionsOf(r);
      const loader = r.loader(data, { batchSize: 4, seed: 1 });
      const res = await fit(model, { ...opts, optimizer, data: loader, epochs: 1, checkEvery: 1 });
      expect(res.steps).toBe(2);
      for (const l of res.losses) expect(Number.isFinite(l)).toBe(true);
      const { metrics } = await evaluate(model, r.loader(data, { batchSize: 4, seed: 1, shuffle: false }), opts.metrics, {
        forward: opts.forward,
      });
      if (r.accuracy) expect(metrics['accuracy']).toBeGreaterThanOrEqual(0);
      else expect(Object.keys(metrics)).toEqual([]);
      optimizer.dispose();
      // only the optimiser's slots stayed (disposed above): nothing of the run is left
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
      model.dispose();
      setPitfallWarnings(true);
    });
  }

  it('an unknown name is an UnknownRecipeError listing the known ones, never a silent default', () => {
    expect(() => recipe('convnet')).toThrow(UnknownRecipeError);
    expect(() => recipe('convnet')).toThrow(/expected one of convnet-logits, .*did you mean convnet-logits or/);
    expect(() => recipe('resnet')).toThrow(/unknown recipe "resnet"/);
  });
});

describe('vae-mlp', () => {
  it('takes [0, 1] pixels as they are and decodes into (0, 1) through a hidden layer', () => {
    const r = recipe('vae-mlp');
    expect(r.data).toBe('pixels');
    const px = Float32Array.from([0, 0.25, 1]);
    expect(Array.from(r.prepareInputs(px))).toEqual([0, 0.25, 1]);
    manualSeed(1);
    const model = r.create();
    expect(model.options.hidden).toBe(128);
    const before = tf.memory().numTensors;
    const out = model.sample(4, 1);
    const v = out.dataSync();
    expect(v.every((p) => p > 0 && p < 1)).toBe(true);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('pitfall warnings per recipe', () => {
  it('each wrong convnet head warns on its own, even after the right one trained first', async () => {
    const { setPitfallWarningSink, resetPitfallWarnings } = await import('@logitlab/layers');
    const seen: string[] = [];
    resetPitfallWarnings();
    setPitfallWarningSink((m) => seen.push(m));
    try {
      for (const head of ['logSoftmax', 'sigmoid', 'softmax'] as const) {
        const r = recipe(`convnet-${head}`);
        manualSeed(1);
        const model = r.create();
        const optimizer = r.makeOptimizer();
        await fit(model, { ...fitOptionsOf(r), optimizer, data: r.loader(dataFor('digits'), { batchSize: 8, seed: 1 }), epochs: 1 });
        optimizer.dispose();
        model.dispose();
      }
    } finally {
      setPitfallWarningSink(null);
    }
    expect(seen.filter((m) => /sigmoid outputs/.test(m))).toHaveLength(1);
    expect(seen.filter((m) => /softmax outputs/.test(m))).toHaveLength(1);
  });
});
