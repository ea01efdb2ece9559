import { describe, expect, it } from 'vitest';
import { recentRate } from './rate';

describe('recentRate', () => {
  it('counts only the last seconds: a slow start does not drag the rate down', () => {
    // 10 steps over the first 10 s (1/s), then 100 steps over the next 5 s (20/s)
    const ticks = [
      ...Array.from({ length: 11 }, (_, i) => ({ step: i, time: i * 1000 })),
      ...Array.from({ length: 100 }, (_, i) => ({ step: 11 + i, time: 10_000 + (i + 1) * 50 })),
    ];
    expect(recentRate(ticks, 5)).toBeCloseTo(20, 0);
    expect(recentRate(ticks, 100)).toBeCloseTo(110 / 15, 1);
  });

  it('is 0 without two distinct times', () => {
    expect(recentRate([])).toBe(0);
    expect(recentRate([{ step: 3, time: 5 }])).toBe(0);
    expect(
      recentRate([
        { step: 3, time: 5 },
        { step: 4, time: 5 },
      ]),
    ).toBe(0);
  });
});
