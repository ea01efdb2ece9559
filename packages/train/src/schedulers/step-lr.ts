import { finiteNumber, positiveInt, scheduler } from './base';
import type { LrScheduler } from './types';

export interface StepLROptions {
  /** Epochs between decays (PyTorch's step_size). */
  stepSize: number;
  /** Multiplier per decay. Default 0.1. */
  gamma?: number;
}

/** `torch.optim.lr_scheduler.StepLR`: multiplies the rate by `gamma` every `stepSize` epochs. */
export function stepLR({ stepSize, gamma = 0.1 }: StepLROptions): LrScheduler {
  positiveInt('stepLR stepSize', stepSize);
  finiteNumber('stepLR gamma', gamma, { min: 0 });
  // PyTorch's chainable form (lr * gamma at each boundary), not base * gamma^k: same last bits
  return scheduler('stepLR', 'epoch', { stepSize, gamma }, ({ lastEpoch, lr }) => (lastEpoch % stepSize === 0 ? lr * gamma : lr));
}
