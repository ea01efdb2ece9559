import { methods } from '@logitlab/explain';
import { describe, expect, it } from 'vitest';
import { SUM_RULE, conservationLine } from './sum-rule';

describe('SUM_RULE', () => {
  it('covers every method of @logitlab/explain, and says why where no sum is required', () => {
    expect(new Set(Object.keys(SUM_RULE))).toEqual(new Set(methods));
    for (const m of methods) expect(SUM_RULE[m].because.length).toBeGreaterThan(5);
  });

  it('names the value each sum should equal, and only LRP and integrated gradients have one', () => {
    expect(conservationLine('lrp', 11.2, 12.714)).toBe('Σ R = 11.20, should equal f(x) = 12.71');
    expect(conservationLine('integratedGradients', -6.6, -6.61)).toBe('Σ R = -6.60, should equal f(x) − f(blank) = -6.61');
    expect(conservationLine('gradient', 0.5, 12)).toBe('Σ R = 0.50 (no required value: a slope, not a share of f)');
    expect(methods.filter((m) => SUM_RULE[m].should !== null)).toEqual(['lrp', 'integratedGradients']);
  });
});
