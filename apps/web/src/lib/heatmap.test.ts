import { describe, expect, it } from 'vitest';
import { divergingColor, grayRgba, halfShares, heatmapRgba, litPixels, maxAbs, overlayRgba } from './heatmap';

const lum = (t: number): number => divergingColor(t).reduce((a, c) => a + c, 0);

describe('heatmap colouring', () => {
  it('is white at zero, red for positive and blue for negative relevance', () => {
    expect(divergingColor(0)).toEqual([255, 255, 255]);
    const [r, g, b] = divergingColor(1);
    expect(r).toBeGreaterThan(g);
    expect(r).toBeGreaterThan(b);
    const [r2, , b2] = divergingColor(-1);
    expect(b2).toBeGreaterThan(r2);
  });

  it('gets darker with magnitude and clamps beyond 1', () => {
    expect(lum(0.3)).toBeGreaterThan(lum(0.8));
    expect(divergingColor(5)).toEqual(divergingColor(1));
    expect(divergingColor(Number.NaN)).toEqual([255, 255, 255]);
  });

  it('scales by the largest magnitude, so the strongest pixel gets the full colour', () => {
    const rgba = heatmapRgba([0, 2, -1]);
    expect(Array.from(rgba.subarray(0, 4))).toEqual([255, 255, 255, 255]);
    expect(Array.from(rgba.subarray(4, 7))).toEqual([...divergingColor(1)]);
    expect(Array.from(rgba.subarray(8, 11))).toEqual([...divergingColor(-0.5)]);
  });

  it('draws an all-zero map white instead of NaN', () => {
    const rgba = heatmapRgba([0, 0]);
    expect(Array.from(rgba)).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
    expect(maxAbs([0, 0])).toBe(0);
  });

  it('counts lit pixels relative to the maximum', () => {
    expect(litPixels([0, 0, 0])).toBe(0);
    expect(litPixels([1, 0.5, 0.01, -0.9])).toBe(3);
  });

  it('maps image values through their range to gray', () => {
    const rgba = grayRgba([-1, 0, 1], [-1, 1]);
    expect(rgba[0]).toBe(0);
    expect(rgba[4]).toBe(128);
    expect(rgba[8]).toBe(255);
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
