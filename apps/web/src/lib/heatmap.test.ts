import { describe, expect, it } from 'vitest';
import { grayRgba, halfShares, heatmapRgba, litPixels, overlayRgba } from './heatmap';

describe('litPixels', () => {
  it('counts lit pixels relative to the maximum', () => {
    expect(litPixels([0, 0, 0])).toBe(0);
    expect(litPixels([1, 0.5, 0.01, -0.9])).toBe(3);
  });
});

describe('overlay and half shares', () => {
  it('opacity 0 shows the input, 1 the heatmap', () => {
    const input = [0, 0.5, 1];
    const rel = [-1, 0, 1];
    expect(Array.from(overlayRgba(input, rel, 1, 0))).toEqual(Array.from(grayRgba(input)));
    expect(Array.from(overlayRgba(input, rel, 1, 1))).toEqual(Array.from(heatmapRgba(rel, 1)));
  });

  it('splits positive relevance between the halves of each row', () => {
    // two rows of width 4: left halves hold 1 + 2, right halves 3 (+ a negative value ignored)
    expect(halfShares([1, 0, 3, -5, 2, 0, 0, 0], 4)).toEqual({ left: 0.5, right: 0.5 });
    expect(halfShares([0, 0, 0, 0], 2)).toEqual({ left: 0, right: 0 });
  });
});
