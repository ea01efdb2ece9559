import { describe, expect, it } from 'vitest';
import { Rng } from '@logitlab/core';
import { pca2d, pcaLift, pcaProject, tsne2d } from './index';

describe('pca2d', () => {
  it('finds the two largest-variance axes (sklearn PCA up to the documented sign rule)', () => {
    // centred points on the axes: variances x 18/6, y 2/6, z 0.5/6 -> PC1 = x, PC2 = y, z dropped
    const data = Float32Array.from([3, 0, 0, -3, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0.5, 0, 0, -0.5]);
    const y = pca2d(data, { count: 6, seed: 5 }).points;
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
    const y = pca2d(data, { count: 5 }).points;
    t.forEach((v, i) => {
      expect(y[2 * i]).toBeCloseTo((v - 3.2) * Math.sqrt(5), 4);
      expect(Math.abs(y[2 * i + 1]!)).toBeLessThan(1e-4);
    });
  });
});

describe('pcaProject / pcaLift', () => {
  it('project new points like the fitted ones, and lift plane coordinates back onto the plane', () => {
    // most variance along e1, then e3, almost none along e2; mean (1, 2, 3)
    const pts: number[] = [];
    for (let i = 0; i < 50; i++) pts.push(1 + Math.sin(i) * 5, 2 + 0.01 * Math.sin(i * 7), 3 + Math.cos(i * 1.3) * 2);
    const pca = pca2d(pts, { count: 50 });
    [0, 1, 2].forEach((j) => expect(pca.mean[j]).toBeCloseTo(pts.filter((_, i) => i % 3 === j).reduce((a, b) => a + b, 0) / 50, 10));
    expect(Math.abs(pca.axes[0][0]!)).toBeCloseTo(1, 2);
    expect(Math.abs(pca.axes[1][2]!)).toBeCloseTo(1, 2);
    expect(pca.axes[0].reduce((s, v, j) => s + v * pca.axes[1][j]!, 0)).toBeCloseTo(0, 6);
    // refitted points and projected copies agree
    const again = pcaProject(pca, pts.slice(0, 6));
    Array.from(again).forEach((v, i) => expect(v).toBeCloseTo(pca.points[i]!, 10));
    const uv = pcaProject(pca, pcaLift(pca, 1.5, -0.5));
    expect(uv[0]).toBeCloseTo(1.5, 8);
    expect(uv[1]).toBeCloseTo(-0.5, 8);
    expect(() => pcaProject(pca, [1, 2])).toThrow(/fitted on/);
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
