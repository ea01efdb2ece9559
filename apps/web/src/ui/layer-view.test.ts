import { describe, expect, it } from 'vitest';
import { tile } from './layer-view';

describe('tile', () => {
  it('lays maps out row by row with one-pixel gaps (NaN)', () => {
    // 3 maps of 2 x 2, 2 per row: width 2*3-1 = 5, height 2*3-1 = 5
    const values = Float32Array.from({ length: 12 }, (_, i) => i);
    const t = tile({ name: 's', h: 2, w: 2, maps: 3, values }, 2);
    expect([t.width, t.height]).toEqual([5, 5]);
    expect(Array.from(t.values.subarray(0, 5))).toEqual([0, 1, Number.NaN, 4, 5]);
    expect(Number.isNaN(t.values[10] ?? 0)).toBe(true); // the gap row
    expect(t.values[15]).toBe(8); // map 2 starts at (0, 3)
  });
});
