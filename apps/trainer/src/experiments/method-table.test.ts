import * as tf from '@tensorflow/tfjs-core';
import { Linear, ReLU, Sequential, manualSeed } from '@logitlab/layers';
import { MetricInputError, MissingMasksError, pointingGame, sparseness } from '@logitlab/metrics';
import { describe, expect, it } from 'vitest';
import { bestPerMetric, methodTable, tableCells } from './method-table';

// 6 images of 8 features, a small ReLU net with 3 classes
const x = Float32Array.from({ length: 6 * 8 }, (_, i) => Math.abs(Math.sin(i * 1.7)));
const masks = Float32Array.from({ length: 6 * 8 }, (_, i) => (i % 8 < 3 ? 1 : 0));
function model(): Sequential {
  manualSeed(3);
  return new Sequential(new Linear(8, 5), new ReLU(), new Linear(5, 3));
}

describe('methodTable', () => {
  it('gives each method its mean per metric over the images, equal to the metric on the kept maps', async () => {
    const m = model();
    const before = tf.memory().numTensors;
    const t = await methodTable(m, x, [8], {
      methods: [{ method: 'sensitivity' }, { method: 'lrp', composite: 'epsilon' }],
      metrics: ['sparseness', 'pointingGame'],
      masks,
      seed: 1,
      batchSize: 4,
    });
    expect(tf.memory().numTensors).toBe(before);
    // in the registry's order, not the request's
    expect(t.metrics).toEqual(['pointingGame', 'sparseness']);
    expect(t.rows.map((r) => r.method)).toEqual(['sensitivity', 'lrp:epsilon']);
    for (const r of t.rows) {
      const maps = t.maps[r.method]!;
      expect(maps.length).toBe(x.length);
      expect(r.means['sparseness']).toBeCloseTo(sparseness(maps, 6).mean, 9);
      expect(r.means['pointingGame']).toBeCloseTo(pointingGame(maps, masks, 6).mean, 9);
    }
    const [headers, rows] = tableCells(t, { sensitivity: 'Sens' });
    expect(headers).toEqual(['method', 'pointingGame (higher is better)', 'sparseness (higher is better)']);
    expect(rows[0]![0]).toBe('Sens');
    m.dispose();
  });

  it("explains each image's label when labels are given, and 'all' means every registered metric", async () => {
    const m = model();
    const labels = Int32Array.from([0, 1, 2, 0, 1, 2]);
    const t = await methodTable(m, x, [8], { methods: [{ method: 'gradient' }], metrics: ['complexity'], labels, seed: 1 });
    expect(t.metrics).toEqual(['sparseness', 'entropy']);
    // the gradient of class c is the chain of weights into c: a different map per label
    const g = t.maps['gradient']!;
    expect(Array.from(g.subarray(0, 8))).not.toEqual(Array.from(g.subarray(8, 16)));
    m.dispose();
  });

  it('refuses an unknown metric and a localisation metric without masks, with typed errors', async () => {
    const m = model();
    const o = { methods: [{ method: 'sensitivity' as const }], seed: 1 };
    await expect(methodTable(m, x, [8], { ...o, metrics: ['pointyGame'] })).rejects.toThrow(MetricInputError);
    await expect(methodTable(m, x, [8], { ...o, metrics: ['pointingGame'] })).rejects.toThrow(MissingMasksError);
    m.dispose();
  });
});

describe('bestPerMetric', () => {
  it('names the best method of each metric, reading which way is better from the registry', () => {
    const t = {
      metrics: ['sparseness', 'entropy', 'pointingGame'],
      rows: [
        { method: 'a', means: { sparseness: 0.9, entropy: 3, pointingGame: NaN } },
        { method: 'b', means: { sparseness: 0.5, entropy: 2, pointingGame: NaN } },
      ],
      maps: {},
    };
    expect(bestPerMetric(t, { a: 'A' })).toBe('sparseness: A (0.9); entropy: b (2); pointingGame: undefined for every method');
  });
});
