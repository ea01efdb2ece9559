import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Module } from '@logitlab/layers';
import { OPTIMIZER_KINDS, recipe, RECIPE_IDS, withOptimizer } from './index';

const shapes = (m: Module | undefined) => m?.namedParameters().map(([, v]) => v.shape.join('x'));

describe('optimiser choice', () => {
  it('builds each kind at the given rate, keeping a momentum recipe its momentum and giving others 0.9', () => {
    const classes = OPTIMIZER_KINDS.map((k) => {
      const o = recipe('explainer').makeOptimizer(0.05, k);
      const out = [o.getClassName(), o.getConfig()['learningRate'], o.getConfig()['momentum'] ?? null];
      o.dispose();
      return out;
    });
    expect(classes).toEqual([
      ['SGD', 0.05, null],
      ['Momentum', 0.05, 0.9],
      ['Adam', 0.05, null],
    ]);
    expect(withOptimizer(recipe('convnet-logits').optimizer, 'momentum')).toEqual({ kind: 'momentum', lr: 0.01, momentum: 0.5 });
    expect(withOptimizer(recipe('convnet-logits').optimizer, 'adam', 0.003)).toEqual({ kind: 'adam', lr: 0.003 });
  });
});

describe('hidden widths', () => {
  it('are offered by the MLPs only, and the default widths build the recipe model itself', () => {
    expect(RECIPE_IDS.filter((id) => recipe(id).hidden)).toEqual(['bn-mlp', 'vae-mlp']);
    for (const id of ['bn-mlp', 'vae-mlp'] as const) {
      const r = recipe(id);
      const a = r.create();
      const b = r.hidden?.create(r.hidden.sizes);
      expect(b?.namedParameters().map(([k, v]) => [k, v.shape])).toEqual(a.namedParameters().map(([k, v]) => [k, v.shape]));
      a.dispose();
      b?.dispose();
    }
  });

  it('other widths change only the hidden layers', () => {
    const before = tf.memory().numTensors;
    const mlp = recipe('bn-mlp').hidden?.create([32, 16, 8]);
    const vae = recipe('vae-mlp').hidden?.create([40]);
    expect(shapes(mlp)?.filter((s) => !s.includes('x'))).toContain('8');
    expect(tf.tidy(() => mlp?.call(tf.zeros([2, 784])).shape)).toEqual([2, 10]);
    expect(shapes(vae)).toContain('784x40');
    mlp?.dispose();
    vae?.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
