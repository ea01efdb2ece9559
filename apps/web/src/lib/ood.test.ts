import { describe, expect, it } from 'vitest';
import { distanceFinding, inkFinding, inkMass, nearestDistance, reliabilityAt, reliabilityFinding } from './ood';

describe('ink', () => {
  it('sums a window of a wider image', () => {
    // 4 x 2 image, the right 2 x 2 window holds 0.5 + 1
    const img = [1, 1, 0.5, 0, 1, 1, 0, 1];
    expect(inkMass(img, { x: 2, width: 2, height: 2, stride: 4 })).toBe(1.5);
    expect(inkMass(img, { width: 2, height: 2, stride: 4 })).toBe(4);
  });

  it('flags a blank or a near-blank digit and an overfull one, passes one in range', () => {
    const ink = { low: 35, high: 212 };
    expect(inkFinding(0, ink, 'the pad')).toBe('the pad holds no ink (0; training digits hold 35–212)');
    expect(inkFinding(12, ink, 'the left half')).toMatch(/^the left half holds almost no ink \(12;/);
    expect(inkFinding(400, ink, 'the pad')).toMatch(/more ink than a training digit \(400;/);
    expect(inkFinding(100, ink, 'the pad')).toBeNull();
  });
});

describe('distance to the training features', () => {
  it('is the distance to the nearest reference row', () => {
    const ref = [0, 0, 3, 4, 10, 10];
    expect(nearestDistance([0, 0], ref)).toBe(0);
    expect(nearestDistance([3, 0], ref)).toBe(3);
    expect(nearestDistance([3, 8], ref)).toBe(4);
  });

  it('is Infinity against an empty reference (never "near")', () => {
    expect(nearestDistance([1, 2], [])).toBe(Infinity);
    expect(distanceFinding(Infinity, 5, 'fc1')).toMatch(/Infinity/);
  });

  it('flags only beyond the threshold, and NaN never passes silently as near', () => {
    expect(distanceFinding(4.9, 5, 'fc1')).toBeNull();
    expect(distanceFinding(7.25, 5, 'fc1 + relu')).toBe(
      'its fc1 + relu features lie 7.3 from the nearest training input; 99% of held-out inputs lie within 5.0',
    );
    expect(distanceFinding(Number.NaN, 5, 'fc1')).toBeNull();
  });
});

describe('reliability of an answer at f(x)', () => {
  const r = { edges: [0, 50, 100], n: [2, 40, 10, 30], right: [2, 39, 4, 30] };

  it('finds the bin, open at both ends', () => {
    expect(reliabilityAt(-3, r)).toEqual({ from: null, to: 0, n: 2, right: 2 });
    expect(reliabilityAt(50, r)).toEqual({ from: 50, to: 100, n: 10, right: 4 });
    expect(reliabilityAt(250, r)).toEqual({ from: 100, to: null, n: 30, right: 30 });
  });

  it('flags a bin whose held-out answers were often wrong, or that held none', () => {
    expect(reliabilityFinding(10, r)).toBeNull();
    expect(reliabilityFinding(60, r)).toBe('held-out pairs with f(x) in 50–100 were answered right 40% of the time (4 of 10)');
    expect(reliabilityFinding(-1, { edges: [0], n: [0, 5], right: [0, 5] })).toBe('no held-out pair had f(x) below 0');
    expect(reliabilityFinding(120, r)).toBeNull();
  });
});
