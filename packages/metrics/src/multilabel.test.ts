import { describe, expect, it } from 'vitest';
import { hammingLoss, multiLabelReport, subsetAccuracy } from './index';

// N = 2 samples, L = 3 labels.
// target = [1,0,1 | 0,1,0]; probs = [.9,.2,.4 | .1,.7,.3] -> at .5: [1,0,0 | 0,1,0]
// wrong pairs: (0, label 2) only -> hamming 1/6; exact rows: row 1 only -> subset accuracy 1/2
// label 0: tp 1 fp 0 fn 0 -> F1 1; label 1: tp 1 -> F1 1; label 2: tp 0 fn 1 -> P 0/0 = 0, R 0, F1 0
// macro F1 = 2/3
const target = Float32Array.from([1, 0, 1, 0, 1, 0]);
const probs = Float32Array.from([0.9, 0.2, 0.4, 0.1, 0.7, 0.3]);

describe('multi-label metrics', () => {
  it('hamming loss, subset accuracy and per-label F1 match the hand computation', () => {
    expect(hammingLoss(probs, target, { numLabels: 3 })).toBeCloseTo(1 / 6, 12);
    expect(subsetAccuracy(probs, target, { numLabels: 3 })).toBe(0.5);
    const r = multiLabelReport(probs, target, { numLabels: 3 });
    expect(r.perLabel.map((s) => s.f1)).toEqual([1, 1, 0]);
    expect(r.perLabel.map((s) => s.support)).toEqual([1, 1, 1]);
    expect(r.macroF1).toBeCloseTo(2 / 3, 12);
  });

  it('threshold 0 reads logits', () => {
    const logits = Float32Array.from([2, -1, 0.5, -3, 1, -0.2]); // -> [1,0,1 | 0,1,0], all right
    const r = multiLabelReport(logits, target, { numLabels: 3, threshold: 0 });
    expect(r.hammingLoss).toBe(0);
    expect(r.subsetAccuracy).toBe(1);
    expect(r.macroF1).toBe(1);
  });

  it('rejects a row length that does not divide the input', () => {
    expect(() => hammingLoss([1, 0], [1, 0], { numLabels: 3 })).toThrow(/multiple of numLabels/);
  });
});
