import { describe, expect, it } from 'vitest';
import { DatasetInputError, MAX_SYNTHETIC_DIGITS, syntheticDigits } from '../index';

describe('syntheticDigits count cap', () => {
  it.each([1e9, MAX_SYNTHETIC_DIGITS + 1])('refuses count %d with DatasetInputError naming the cap (1e9 was a raw RangeError)', (count) => {
    expect(() => syntheticDigits({ count })).toThrow(DatasetInputError);
    expect(() => syntheticDigits({ count })).toThrow(/count \d+ is above the cap of 200000 images/);
  });

  it('still renders a small set', () => {
    expect(syntheticDigits({ count: 3 }).images.length).toBe(3 * 28 * 28);
  });
});
