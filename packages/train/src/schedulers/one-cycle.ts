import { finiteNumber, positiveInt, scheduler } from './base';
import { SchedulerError } from './errors';
import type { LrScheduler } from './types';

export interface OneCycleLROptions {
  maxLr: number;
  /** Optimiser steps in the whole cycle (PyTorch's total_steps; or epochs * steps per epoch). */
  totalSteps: number;
  /** Share of the cycle spent increasing the rate. Default 0.3. */
  pctStart?: number;
  /** Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /** Initial rate = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** Final rate = initial / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Up, back down to the initial rate, then to the final one (fastai's schedule). Default false. */
  threePhase?: boolean;
}

/**
 * `torch.optim.lr_scheduler.OneCycleLR`, stepped after every optimiser step. The optimiser's own rate
 * is ignored (the cycle starts at maxLr / divFactor). PyTorch's `cycle_momentum` is not implemented:
 * momentum / beta1 stay as the optimiser was built (PyTorch with `cycle_momentum=False`).
 */
export function oneCycleLR(options: OneCycleLROptions): LrScheduler {
  const { maxLr, totalSteps, pctStart = 0.3, annealStrategy = 'cos', divFactor = 25, finalDivFactor = 1e4, threePhase = false } = options;
  finiteNumber('oneCycleLR maxLr', maxLr, { min: 0 });
  positiveInt('oneCycleLR totalSteps', totalSteps);
  finiteNumber('oneCycleLR pctStart', pctStart, { min: 0, max: 1 });
  if (annealStrategy !== 'cos' && annealStrategy !== 'linear')
    throw new SchedulerError(`oneCycleLR annealStrategy must be 'cos' or 'linear'; got ${String(annealStrategy)}`);
  const initial = maxLr / divFactor;
  const min = initial / finalDivFactor;
  const phases: Array<{ end: number; from: number; to: number }> = threePhase
    ? [
        { end: pctStart * totalSteps - 1, from: initial, to: maxLr },
        { end: 2 * pctStart * totalSteps - 2, from: maxLr, to: initial },
        { end: totalSteps - 1, from: initial, to: min },
      ]
    : [
        { end: pctStart * totalSteps - 1, from: initial, to: maxLr },
        { end: totalSteps - 1, from: maxLr, to: min },
      ];
  const anneal =
    annealStrategy === 'cos'
      ? (a: number, b: number, p: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1)
      : (a: number, b: number, p: number) => (b - a) * p + a;
  const at = (t: number) => {
    if (t > totalSteps) throw new SchedulerError(`oneCycleLR stepped ${t} times; expected at most totalSteps = ${totalSteps}`);
    let start = 0;
    for (let i = 0; i < phases.length; i++) {
      const ph = phases[i] as (typeof phases)[number];
      if (t <= ph.end || i === phases.length - 1) return anneal(ph.from, ph.to, (t - start) / (ph.end - start));
      start = ph.end;
    }
    return min;
  };
  return scheduler(
    'oneCycleLR',
    'step',
    { maxLr, totalSteps, pctStart, annealStrategy, divFactor, finalDivFactor, threePhase },
    ({ lastEpoch }) => at(lastEpoch),
    () => at(0),
  );
}
