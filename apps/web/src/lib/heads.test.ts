import { describe, expect, it } from 'vitest';
import { argmax, barLengths, LESSONS, sumLine } from './heads';

describe('head display', () => {
  it('predicts the largest output', () => {
    expect(argmax([0.1, 3, -2, 3.5, 0])).toBe(3);
    expect(argmax([-5, -1, -3])).toBe(1);
  });

  it('scales probability heads on [0, 1] and unbounded heads between min and max', () => {
    expect(barLengths('softmax', [0.2, 0.8])).toEqual([0.2, 0.8]);
    expect(barLengths('sigmoid', [1.2, -0.1])).toEqual([1, 0]);
    expect(barLengths('logits', [-2, 0, 2])).toEqual([0, 0.5, 1]);
    expect(barLengths('logSoftmax', [-1, -1])).toEqual([0, 0]);
  });

  it('summarises what each head sums to', () => {
    expect(sumLine('logSoftmax', [Math.log(0.25), Math.log(0.75)])).toBe('Σ exp = 1.000');
    expect(sumLine('softmax', [0.25, 0.75])).toBe('Σ = 1.000');
    expect(sumLine('logits', [1, 4])).toBe('max − min = 3.00');
  });

  it('has a lesson for every head, naming the loss it is paired with', () => {
    expect(new Set(Object.keys(LESSONS))).toEqual(new Set(['logits', 'logSoftmax', 'softmax', 'sigmoid']));
    expect(LESSONS.logits.loss).toBe('crossEntropy');
    expect(LESSONS.softmax.loss).toBe('nllLoss');
  });
});
