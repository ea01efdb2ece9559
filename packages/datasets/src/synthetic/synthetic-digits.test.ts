import { describe, expect, it } from 'vitest';
import { DatasetInputError, syntheticDigits } from '../index';

describe('syntheticDigits', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = syntheticDigits({ count: 50, seed: 7 });
    const b = syntheticDigits({ count: 50, seed: 7 });
    const c = syntheticDigits({ count: 50, seed: 8 });
    expect(a.images).toEqual(b.images);
    expect(a.labels).toEqual(b.labels);
    expect(a.images).not.toEqual(c.images);
  });

  it('does not depend on count for the first images', () => {
    const small = syntheticDigits({ count: 20, seed: 3 });
    const big = syntheticDigits({ count: 100, seed: 3 });
    expect(big.images.subarray(0, 20 * 784)).toEqual(small.images);
    expect(big.labels.subarray(0, 20)).toEqual(small.labels);
  });

  it('returns balanced labels, 28x28 images in [0, 1] with white strokes on a black border', () => {
    const set = syntheticDigits({ count: 1000, seed: 1 });
    expect(set).toMatchObject({ count: 1000, height: 28, width: 28 });
    expect(set.images.length).toBe(1000 * 784);
    const perLabel = Array.from({ length: 10 }, () => 0);
    for (const l of set.labels) perLabel[l] = (perLabel[l] ?? 0) + 1;
    expect(perLabel).toEqual(Array.from({ length: 10 }, () => 100));
    let min = Infinity;
    let max = -Infinity;
    for (const v of set.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    for (let i = 0; i < set.count; i++) {
      const img = set.images.subarray(i * 784, (i + 1) * 784);
      let ink = 0;
      let border = 0;
      for (let r = 0; r < 28; r++) {
        for (let c = 0; c < 28; c++) {
          const v = img[r * 28 + c] as number;
          if (v > 0.5) ink++;
          if ((r < 2 || r > 25 || c < 2 || c > 25) && v > 0.5) border++;
        }
      }
      // a visible digit, kept inside the 20x20-ish centre box like MNIST
      expect(ink).toBeGreaterThan(15);
      expect(border).toBe(0);
    }
  });

  it('draws different digits differently and the same digit alike (mean-image nearest-neighbour check)', () => {
    const train = syntheticDigits({ count: 2000, seed: 11 });
    const test = syntheticDigits({ count: 500, seed: 12 });
    const means = Array.from({ length: 10 }, () => new Float64Array(784));
    const counts = Array.from({ length: 10 }, () => 0);
    for (let i = 0; i < train.count; i++) {
      const l = train.labels[i] as number;
      counts[l] = (counts[l] ?? 0) + 1;
      const m = means[l] as Float64Array;
      for (let p = 0; p < 784; p++) m[p] = (m[p] as number) + (train.images[i * 784 + p] as number);
    }
    let correct = 0;
    for (let i = 0; i < test.count; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let d = 0; d < 10; d++) {
        const m = means[d] as Float64Array;
        let dist = 0;
        for (let p = 0; p < 784; p++) {
          const diff = (test.images[i * 784 + p] as number) - (m[p] as number) / (counts[d] as number);
          dist += diff * diff;
        }
        if (dist < bestD) {
          bestD = dist;
          best = d;
        }
      }
      if (best === test.labels[i]) correct++;
    }
    // a nearest-class-mean classifier is at chance (10%) if glyphs were indistinguishable;
    // on real MNIST it gets about 80%
    expect(correct / test.count).toBeGreaterThan(0.6);
    // no two images identical
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(Array.from(test.images.subarray(i * 784, i * 784 + 784), (v) => v.toFixed(3)).join());
    expect(seen.size).toBe(200);
  });

  it('rejects a bad count with a typed error', () => {
    expect(() => syntheticDigits({ count: -1, seed: 0 })).toThrow(DatasetInputError);
    expect(() => syntheticDigits({ count: 1.5, seed: 0 })).toThrow(/count must be a non-negative integer, got 1.5/);
  });
});
