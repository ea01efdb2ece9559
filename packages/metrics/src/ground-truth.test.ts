import { describe, expect, it } from 'vitest';
import { MetricInputError } from './errors';
import { relevanceMassAccuracy, relevanceRankAccuracy, spearman } from './ground-truth';

describe('relevance mass and rank accuracy (Arras et al. 2022), hand-computed', () => {
  // image 0: R = [3, 1, -2, 0], mask [1, 0, 1, 0]: positive mass 4, inside 3 -> 0.75
  // image 1: R = [0, 0, 5, 5], mask [1, 1, 0, 0]: inside 0 -> 0
  const r = [3, 1, -2, 0, 0, 0, 5, 5];
  const m = [1, 0, 1, 0, 1, 1, 0, 0];
  it('mass: share of positive relevance inside the mask', () => {
    const out = relevanceMassAccuracy(r, m, 2);
    expect(Array.from(out.perImage)).toEqual([0.75, 0]);
    expect(out.mean).toBe(0.375);
    expect(relevanceMassAccuracy([-1, -2], [1, 0], 1).perImage[0]).toBe(0);
  });
  it('rank: share of the top-K pixels inside a K-pixel mask', () => {
    // image 0: K = 2, top-2 = pixels 0 (3) and 1 (1): one inside -> 0.5; image 1: top-2 = 2, 3: none -> 0
    expect(Array.from(relevanceRankAccuracy(r, m, 2).perImage)).toEqual([0.5, 0]);
    // ties broken by index: R all equal, mask on pixel 0 -> top-1 is pixel 0
    expect(relevanceRankAccuracy([1, 1, 1], [1, 0, 0], 1).mean).toBe(1);
  });
  it('rejects empty masks and mismatched sizes', () => {
    expect(() => relevanceRankAccuracy([1, 2], [0, 0], 1)).toThrow(/empty mask/);
    expect(() => relevanceMassAccuracy([1, 2, 3], [1, 0], 1)).toThrow(MetricInputError);
    expect(() => relevanceMassAccuracy([1, 2, 3], [1, 0, 1], 2)).toThrow(/multiple of count/);
  });
});

describe('spearman', () => {
  it('is 1 for a monotone map, -1 for a reversed one, and uses average ranks for ties', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 1000]).mean).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1]).mean).toBeCloseTo(-1, 12);
    // x ranks [1, 2, 3], y = [1, 1, 2] ranks [1.5, 1.5, 3]: rho = 1.5 / sqrt(2 * 1.5) = 0.8660...
    expect(spearman([1, 2, 3], [1, 1, 2]).mean).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(Number.isNaN(spearman([1, 1], [1, 2]).mean)).toBe(true);
    expect(Array.from(spearman([1, 2, 1, 2], [1, 2, 2, 1], 2).perImage)).toEqual([1, -1]);
  });
});
