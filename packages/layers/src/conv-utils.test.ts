import { describe, expect, it } from 'vitest';
import { convPad, explicitPad } from './conv-utils';

describe('convPad', () => {
  it("is 'valid' without padding and tfjs's explicit NHWC padding otherwise", () => {
    expect(convPad([0, 0])).toBe('valid');
    expect(convPad([1, 2])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [0, 0],
    ]);
    expect(convPad([0, 3])).toEqual(explicitPad([0, 3]));
  });
});
