import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { accuracy, classificationReport, confusionMatrix, MetricInputError } from './index';

// Hand-computed fixture (sklearn not installed here):
// target = [0,0,1,1,1,2], pred = [0,1,1,1,2,2]
// confusion rows=true: [[1,1,0],[0,2,1],[0,0,1]]; correct at 0,2,3,5 -> accuracy 4/6
// class 0: tp 1, predicted 1, support 2 -> P 1,   R 1/2, F1 2*(1*.5)/(1.5) = 2/3
// class 1: tp 2, predicted 3, support 3 -> P 2/3, R 2/3, F1 2/3
// class 2: tp 1, predicted 2, support 1 -> P 1/2, R 1,   F1 2*(.5*1)/1.5 = 2/3
// macro P = (1 + 2/3 + 1/2)/3 = 13/18, macro R = (1/2 + 2/3 + 1)/3 = 13/18, macro F1 = 2/3
const target = Int32Array.from([0, 0, 1, 1, 1, 2]);
const pred = Int32Array.from([0, 1, 1, 1, 2, 2]);

describe('classification metrics', () => {
  it('accuracy from labels and from scores (argmax over the last axis)', () => {
    expect(accuracy(pred, target)).toBeCloseTo(4 / 6, 12);
    const scores = new Float32Array(6 * 3);
    pred.forEach((c, i) => (scores[i * 3 + c] = 2));
    expect(accuracy(scores, target)).toBeCloseTo(4 / 6, 12);
  });

  it('accepts tensors without taking ownership or leaking', () => {
    const before = tf.memory().numTensors;
    const p = tf.tensor2d([
      [0.1, 0.9],
      [0.8, 0.2],
      [0.3, 0.7],
    ]);
    const t = tf.tensor1d([1, 1, 1], 'int32');
    expect(accuracy(p, t)).toBeCloseTo(2 / 3, 12);
    expect(p.isDisposed).toBe(false);
    tf.dispose([p, t]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('confusion matrix uses rows = true class, columns = predicted', () => {
    expect(confusionMatrix(pred, target)).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [0, 0, 1],
    ]);
    expect(confusionMatrix([0], [0], { numClasses: 2 })).toEqual([
      [1, 0],
      [0, 0],
    ]);
  });

  it('per-class precision / recall / F1 and macro averages', () => {
    const r = classificationReport(pred, target);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    const expected = [
      { precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
      { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
      { precision: 0.5, recall: 1, f1: 2 / 3, support: 1 },
    ];
    r.perClass.forEach((s, c) => {
      const e = expected[c]!;
      expect(s.precision).toBeCloseTo(e.precision, 12);
      expect(s.recall).toBeCloseTo(e.recall, 12);
      expect(s.f1).toBeCloseTo(e.f1, 12);
      expect(s.support).toBe(e.support);
    });
    expect(r.macro.precision).toBeCloseTo(13 / 18, 12);
    expect(r.macro.recall).toBeCloseTo(13 / 18, 12);
    expect(r.macro.f1).toBeCloseTo(2 / 3, 12);
  });

  it('a class never predicted and never present scores 0 (zero_division = 0) and still counts in the macro mean', () => {
    const r = classificationReport([0, 1], [0, 1], { numClasses: 3 });
    expect(r.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.macro.f1).toBeCloseTo(2 / 3, 12);
  });

  it('rejects mismatched lengths and out-of-range labels with a typed error', () => {
    expect(() => accuracy([0, 1, 2], [0, 1])).toThrow(MetricInputError);
    expect(() => confusionMatrix([0, 3], [0, 1], { numClasses: 3 })).toThrow(/predictions\[1\] = 3/);
  });
});
