import { describe, expect, it } from 'vitest';
import { MeterGroup, RunningMean } from './index';

describe('meters', () => {
  it('weights batch means by batch size', () => {
    const m = new RunningMean().update(1, 2).update(4, 1); // (1*2 + 4*1) / 3 = 2
    expect(m.sum).toBe(6);
    expect(m.count).toBe(3);
    expect(m.mean).toBe(2);
    expect(Number.isNaN(m.reset().mean)).toBe(true);
  });

  it('groups meters by name', () => {
    const g = new MeterGroup().update({ loss: 2, acc: 0.5 }, 4).update({ loss: 1 }, 4);
    expect(g.means()).toEqual({ loss: 1.5, acc: 0.5 });
  });
});
