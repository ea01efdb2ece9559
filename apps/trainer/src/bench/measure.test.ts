import { describe, expect, it } from 'vitest';
import { median, stepsFor } from './measure';

describe('bench statistics', () => {
  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('shortens repeats only when steps are slow', () => {
    expect(stepsFor(10, 0.01, 2)).toBe(10);
    expect(stepsFor(10, 0.5, 2)).toBe(4);
    expect(stepsFor(10, 6, 2)).toBe(1);
    expect(stepsFor(10, 0, 2)).toBe(10);
  });
});
