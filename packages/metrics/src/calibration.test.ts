import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, MetricInputError } from './index';

describe('expectedCalibrationError', () => {
  // 2 bins: (0, .5] and (.5, 1]
  // sample 0: [.9,.1] t0 -> conf .9 correct   -> bin 1
  // sample 1: [.2,.8] t0 -> conf .8 wrong     -> bin 1
  // sample 2: [.6,.4] t0 -> conf .6 correct   -> bin 1
  // sample 3: [.5,.5] t1 -> conf .5, argmax 0 (first max) wrong -> bin 0 (0.5 belongs to (0, .5])
  // bin 0: n 1, conf .5, acc 0 -> gap .5 ; bin 1: n 3, conf 2.3/3, acc 2/3 -> gap .1
  // ECE = 1/4 * .5 + 3/4 * .1 = .2 ; MCE = .5
  const probs = Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.5, 0.5]);
  const target = Int32Array.from([0, 0, 0, 1]);

  it('matches the hand-computed ECE, MCE and reliability table', () => {
    const r = expectedCalibrationError(probs, target, { numBins: 2 });
    expect(r.ece).toBeCloseTo(0.2, 6);
    expect(r.mce).toBeCloseTo(0.5, 6);
    expect(r.bins.map((b) => b.count)).toEqual([1, 3]);
    expect(r.bins[0]!.meanConfidence).toBeCloseTo(0.5, 6);
    expect(r.bins[0]!.accuracy).toBe(0);
    expect(r.bins[1]!.meanConfidence).toBeCloseTo(2.3 / 3, 6);
    expect(r.bins[1]!.accuracy).toBeCloseTo(2 / 3, 12);
    expect(r.bins[1]).toMatchObject({ lower: 0.5, upper: 1 });
  });

  it('a confidence exactly on a bin edge goes to the lower bin even when conf * B rounds up', () => {
    // 0.6 * 5 = 3.0000000000000004 in float64; 0.6 must land in (0.4, 0.6], bin index 2
    const r = expectedCalibrationError([0.6, 0.4], [0], { numBins: 5 });
    expect(r.bins.map((b) => b.count)).toEqual([0, 0, 1, 0, 0]);
    expect(Number.isNaN(r.bins[0]!.accuracy)).toBe(true);
  });

  it('rejects logits (values outside [0, 1])', () => {
    expect(() => expectedCalibrationError([2.3, -1], [0])).toThrow(MetricInputError);
    expect(() => expectedCalibrationError([2.3, -1], [0])).toThrow(/not logits/);
  });
});
