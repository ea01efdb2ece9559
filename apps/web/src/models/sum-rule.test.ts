import { methodNames } from '@logitlab/explain';
import { describe, expect, it } from 'vitest';
import { conservationLine, sumRule } from './sum-rule';

describe('sumRule', () => {
  it('covers every registered method of @logitlab/explain, and says why where no sum is required', () => {
    for (const m of methodNames()) expect(sumRule(m).because.length).toBeGreaterThan(5);
  });

  it('names the value each sum should equal, and only LRP and integrated gradients have one', () => {
    expect(conservationLine('lrp', 11.2, 12.714)).toBe('Σ R = 11.20, should equal f(x) = 12.71');
    expect(conservationLine('integratedGradients', -6.6, -6.61)).toBe('Σ R = -6.60, should equal f(x) − f(blank) = -6.61');
    expect(conservationLine('gradient', 0.5, 12)).toBe('Σ R = 0.50 (no required value: a slope, not a share of f)');
    expect(methodNames().filter((m) => sumRule(m).should !== null)).toEqual(['lrp', 'integratedGradients']);
  });
});
