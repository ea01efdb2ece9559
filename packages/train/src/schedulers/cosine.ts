import { finiteNumber, positiveInt, scheduler } from './base';
import type { LrScheduler } from './types';

export interface CosineAnnealingLROptions {
  /** Half-period in epochs (PyTorch's T_max). */
  tMax: number;
  /** Lowest rate. Default 0. */
  etaMin?: number;
}

/** Python's %, never negative. */
const mod = (a: number, m: number) => ((a % m) + m) % m;

/** `torch.optim.lr_scheduler.CosineAnnealingLR`, in PyTorch's recursive form (so values match it, also past tMax). */
export function cosineAnnealingLR({ tMax, etaMin = 0 }: CosineAnnealingLROptions): LrScheduler {
  positiveInt('cosineAnnealingLR tMax', tMax);
  finiteNumber('cosineAnnealingLR etaMin', etaMin, { min: 0 });
  return scheduler('cosineAnnealingLR', 'epoch', { tMax, etaMin }, ({ lastEpoch: t, baseLr, lr }) => {
    if (mod(t - 1 - tMax, 2 * tMax) === 0) return lr + ((baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2;
    return ((1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax))) * (lr - etaMin) + etaMin;
  });
}
