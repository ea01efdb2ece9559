import { describe, expect, it } from 'vitest';
import { pointsGap } from './heads';

describe('heads report wording', () => {
  it('says below or above as the accuracy gap says, never "-2.5 points below"', () => {
    expect(pointsGap(12.34)).toBe('12.3 points below');
    expect(pointsGap(-2.5)).toBe('2.5 points above');
    expect(pointsGap(0)).toBe('level with');
  });
});
