import { describe, expect, it } from 'vitest';
import { mae, mse, reconstructionError } from './index';

describe('regression metrics', () => {
  it('mse and mae: errors [0, 2, -2] -> 8/3 and 4/3', () => {
    expect(mse([1, 2, 3], [1, 0, 5])).toBeCloseTo(8 / 3, 12);
    expect(mae([1, 2, 3], [1, 0, 5])).toBeCloseTo(4 / 3, 12);
  });

  it('reconstruction error per sample: rows with errors [1, 0] and [0, 2]', () => {
    const recon = [1, 2, 3, 4];
    const target = [0, 2, 3, 2];
    expect(Array.from(reconstructionError(recon, target, { count: 2 }))).toEqual([0.5, 2]);
    expect(Array.from(reconstructionError(recon, target, { count: 2, reduction: 'sse' }))).toEqual([1, 4]);
    expect(Array.from(reconstructionError(recon, target, { count: 2, reduction: 'mae' }))).toEqual([0.5, 1]);
  });

  it('rejects length mismatches', () => {
    expect(() => mse([1, 2], [1])).toThrow(/same length/);
  });
});
