import { describe, expect, it } from 'vitest';
import { blasThreadChoices } from './torch';
import { WORKLOAD_FLOPS, workloadFlops } from './workloads';

describe('bench FLOP counts (the GFLOP/s columns)', () => {
  it('count 2 x multiply-adds of the seed convnet layers; training adds weight and non-data input gradients', () => {
    const fwd = 2 * (24 * 24 * 10 * 25) + 2 * (8 * 8 * 20 * 250) + 2 * 320 * 50 + 2 * 50 * 10;
    const firstConv = 2 * (24 * 24 * 10 * 25);
    expect(WORKLOAD_FLOPS.convnet).toEqual({ inferPerSample: fwd, trainPerSample: 3 * fwd - firstConv });
  });

  it('skip the input gradient only of layers fed by the data', () => {
    expect(
      workloadFlops([
        { cost: 10, dataInput: true },
        { cost: 4, dataInput: false },
      ]),
    ).toEqual({ inferPerSample: 14, trainPerSample: 32 });
  });

  it('have an entry for every workload', () => {
    expect(new Set(Object.keys(WORKLOAD_FLOPS))).toEqual(new Set(['convnet', 'sumpool-mlp', 'vae', 'bn-mlp']));
  });
});

describe('PyTorch BLAS threads tried', () => {
  it('are 1 and --threads (once when --threads is 1)', () => {
    expect(blasThreadChoices(2)).toEqual([1, 2]);
    expect(blasThreadChoices(1)).toEqual([1]);
  });
});
