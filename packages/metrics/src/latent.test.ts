import { describe, expect, it } from 'vitest';
import { Rng } from '@logitlab/core';
import { pca2d, tsne2d } from './index';

describe('pca2d', () => {
  it('finds the two largest-variance axes (sklearn PCA up to the documented sign rule)', () => {
    // centred points on the axes: variances x 18/6, y 2/6, z 0.5/6 -> PC1 = x, PC2 = y, z dropped
    const data = Float32Array.from([3, 0, 0, -3, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0.5, 0, 0, -0.5]);
    const y = pca2d(data, { count: 6, seed: 5 });
    const expected = [3, 0, -3, 0, 0, 1, 0, -1, 0, 0, 0, 0];
    expected.forEach((e, i) => expect(y[i]).toBeCloseTo(e, 4));
  });

  it('rejects non-finite data', () => {
    expect(() => pca2d([1, Number.NaN, 2, 3], { count: 2 })).toThrow(/data\[1\] = NaN/);
  });

  it('projects points on a line onto their centred coordinate along it (sklearn PCA, fixed sign)', () => {
    // x_i = t_i * [1, 2] + [3, -1], t = [0, 1, 2, 3, 10], mean t = 3.2
    // first component = (t_i - 3.2) * |[1, 2]| = (t_i - 3.2) * sqrt(5); largest |score| is at t = 10 -> positive
    const t = [0, 1, 2, 3, 10];
    const data = Float32Array.from(t.flatMap((v) => [v + 3, 2 * v - 1]));
    const y = pca2d(data, { count: 5 });
    t.forEach((v, i) => {
      expect(y[2 * i]).toBeCloseTo((v - 3.2) * Math.sqrt(5), 4);
      expect(Math.abs(y[2 * i + 1]!)).toBeLessThan(1e-4);
    });
  });
});

describe('tsne2d', () => {
  // two Gaussian blobs in 10-D, 15 points each, 10 units apart
  const rng = new Rng(3);
  const data = new Float32Array(30 * 10);
  for (let i = 0; i < 30; i++) for (let j = 0; j < 10; j++) data[i * 10 + j] = (i < 15 ? 0 : 10) + (rng.next() - 0.5);

  it('keeps clusters apart and is deterministic per seed', () => {
    const y = tsne2d(data, { count: 30, seed: 1, iterations: 300 });
    expect(y.length).toBe(60);
    const centroid = (from: number) => {
      let cx = 0;
      let cy = 0;
      for (let i = from; i < from + 15; i++) {
        cx += y[2 * i]! / 15;
        cy += y[2 * i + 1]! / 15;
      }
      return [cx, cy] as const;
    };
    const [ax, ay] = centroid(0);
    const [bx, by] = centroid(15);
    const between = Math.hypot(ax - bx, ay - by);
    let within = 0;
    for (let i = 0; i < 30; i++) {
      const [cx, cy] = i < 15 ? [ax, ay] : [bx, by];
      within += Math.hypot(y[2 * i]! - cx, y[2 * i + 1]! - cy) / 30;
    }
    expect(between).toBeGreaterThan(3 * within);
    expect(Array.from(tsne2d(data, { count: 30, seed: 1, iterations: 300 }))).toEqual(Array.from(y));
  });
});
