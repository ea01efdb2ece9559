import { describe, expect, it } from 'vitest';
import { divergingColor, grayLevel, grayRgba, heatmapRgba, maxAbs } from './index';

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

  it('maps image values through their range to gray', () => {
    const rgba = grayRgba([-1, 0, 1], [-1, 1]);
    expect(rgba[0]).toBe(0);
    expect(rgba[4]).toBe(128);
    expect(rgba[8]).toBe(255);
    expect([grayLevel(-3), grayLevel(0.5), grayLevel(7, 0, 2)]).toEqual([0, 128, 255]);
  });
});
