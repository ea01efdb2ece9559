import { describe, expect, it } from 'vitest';
import { litPixels } from './heatmap';

describe('litPixels', () => {
  it('counts lit pixels relative to the maximum', () => {
    expect(litPixels([0, 0, 0])).toBe(0);
    expect(litPixels([1, 0.5, 0.01, -0.9])).toBe(3);
  });
});
