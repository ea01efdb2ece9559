import { describe, expect, it } from 'vitest';
import { parseSliderValues } from './slider-values';

describe('slider positions from a link', () => {
  it('reads exactly count whole numbers in range', () => {
    expect(parseSliderValues('12,-40,0,7', 4, -300, 300)).toEqual([12, -40, 0, 7]);
    expect(parseSliderValues('35', 1, 0, 100)).toEqual([35]);
    expect(parseSliderValues(null, 4, -300, 300)).toBeNull();
  });

  it('refuses a hostile or truncated value as a whole', () => {
    for (const raw of ['', '12,-40,0', '1,2,3,4,5', '1,2,3,x', '1.5,2,3,4', '1,2,3,301', '1e2,0,0,0', ',,,']) {
      expect(parseSliderValues(raw, 4, -300, 300)).toBeNull();
    }
    expect(parseSliderValues('101', 1, 0, 100)).toBeNull();
  });
});
