import { compositeNames } from '@logitlab/explain';
import { MnistConvNet, SumPoolExplainer } from '@logitlab/models';
import { describe, expect, it } from 'vitest';
import { identicalComposites } from './composite-equivalence';

describe('identicalComposites', () => {
  it('on the dense-only sum-pool network, epsilonPlus and epsilonAlpha2Beta1 are LRP-epsilon, with the reason', () => {
    const model = new SumPoolExplainer();
    const same = identicalComposites(model, compositeNames, [-0.5, 1.5]);
    model.dispose();
    expect(same.get('epsilon')).toBeNull();
    expect(same.get('epsilonGammaBox')).toBeNull();
    expect(same.get('deepTaylor')).toBeNull();
    expect(same.get('epsilonPlus')).toEqual({
      as: 'epsilon',
      reason: 'its conv rule (zPlus) is for convolution layers, and this network has none',
    });
    expect(same.get('epsilonAlpha2Beta1')?.as).toBe('epsilon');
    expect(same.get('epsilonAlpha2Beta1')?.reason).toMatch(/conv rule \(alpha2beta1\)/);
  });

  it('on the convnet every composite differs', () => {
    const model = new MnistConvNet();
    const same = identicalComposites(model, compositeNames, [0, 1]);
    model.dispose();
    expect([...same.values()].every((s) => s === null)).toBe(true);
  });
});
