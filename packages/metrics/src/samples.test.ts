import { describe, expect, it } from 'vitest';
import { digitLikeShare, flatImage, knnAccuracy, nearestDistance } from './samples';

describe('sample measures', () => {
  // two 2x2 "digits" on a -1 background: a diagonal and an anti-diagonal stroke
  const digits = Float32Array.from([1, -1, -1, 1, -1, 1, 1, -1]);

  it('a real digit is at distance 0 from itself', () => {
    expect(nearestDistance(digits.subarray(0, 4), digits, 4)).toBe(0);
  });

  it('counts a blurred digit as digit-like and grey noise as not', () => {
    const blurred = Float32Array.from([0.6, -0.8, -0.8, 0.6]);
    const grey = flatImage(digits, 4).map((v, i) => v + (i % 2 ? 0.05 : -0.05));
    expect(digitLikeShare(blurred, digits, 4)).toBe(1);
    expect(digitLikeShare(grey, digits, 4)).toBe(0);
  });

  it('k-NN accuracy is 1 for separated clusters', () => {
    const codes = Float32Array.from([0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1]);
    expect(knnAccuracy(codes, [0, 0, 0, 1, 1, 1], 2, 2)).toBe(1);
  });
});
