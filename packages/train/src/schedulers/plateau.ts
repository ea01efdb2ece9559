import { finiteNumber, num } from './base';
import { SchedulerError } from './errors';
import type { LrScheduler, SchedulerState } from './types';

export interface ReduceLROnPlateauOptions {
  /** Epoch log to watch. Default 'val_loss' (fit falls back to nothing: a missing log is an error). */
  monitor?: string;
  /** 'min' for losses (default), 'max' for accuracies. */
  mode?: 'min' | 'max';
  /** Multiplier per reduction. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  /** Default 1e-4. */
  threshold?: number;
  /** Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction. Default 0. */
  cooldown?: number;
  /** Default 0. */
  minLr?: number;
  /** Reductions smaller than this are skipped. Default 1e-8. */
  eps?: number;
}

/** `torch.optim.lr_scheduler.ReduceLROnPlateau`, stepped after every epoch with the monitored log. */
export function reduceLROnPlateau(options: ReduceLROnPlateauOptions = {}): LrScheduler {
  const {
    monitor = 'val_loss',
    mode = 'min',
    factor = 0.1,
    patience = 10,
    threshold = 1e-4,
    thresholdMode = 'rel',
    cooldown = 0,
    minLr = 0,
    eps = 1e-8,
  } = options;
  if (mode !== 'min' && mode !== 'max') throw new SchedulerError(`reduceLROnPlateau mode must be 'min' or 'max'; got ${String(mode)}`);
  if (thresholdMode !== 'rel' && thresholdMode !== 'abs')
    throw new SchedulerError(`reduceLROnPlateau thresholdMode must be 'rel' or 'abs'; got ${String(thresholdMode)}`);
  finiteNumber('reduceLROnPlateau factor', factor, { min: 0, max: 1 - Number.EPSILON });
  for (const [k, v] of Object.entries({ patience, threshold, cooldown, minLr, eps })) finiteNumber(`reduceLROnPlateau ${k}`, v, { min: 0 });
  const worst = mode === 'min' ? Infinity : -Infinity;
  const better = (a: number, best: number) => {
    if (mode === 'min') return thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  };
  let s: { lastEpoch: number; baseLr: number; lr: number; best: number; numBadEpochs: number; cooldownCounter: number } | undefined;
  const started = () => {
    if (!s) throw new SchedulerError('reduceLROnPlateau was stepped before init(baseLr)');
    return s;
  };
  return {
    name: 'reduceLROnPlateau',
    interval: 'epoch',
    monitor,
    config: { monitor, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps },
    init(baseLr) {
      s = { lastEpoch: 0, baseLr, lr: baseLr, best: worst, numBadEpochs: 0, cooldownCounter: 0 };
      return baseLr;
    },
    step(metric) {
      const c = started();
      if (metric === undefined || Number.isNaN(metric))
        throw new SchedulerError(`reduceLROnPlateau needs the value of "${monitor}" each epoch; got ${String(metric)}`);
      c.lastEpoch++;
      if (better(metric, c.best)) {
        c.best = metric;
        c.numBadEpochs = 0;
      } else c.numBadEpochs++;
      if (c.cooldownCounter > 0) {
        c.cooldownCounter--;
        c.numBadEpochs = 0;
      }
      if (c.numBadEpochs > patience) {
        const reduced = Math.max(c.lr * factor, minLr);
        if (c.lr - reduced > eps) c.lr = reduced;
        c.cooldownCounter = cooldown;
        c.numBadEpochs = 0;
      }
      return c.lr;
    },
    get lr() {
      return started().lr;
    },
    state: (): SchedulerState => ({ ...started() }),
    load(state) {
      const n = (k: string) => num(state, k, 'reduceLROnPlateau');
      s = {
        lastEpoch: n('lastEpoch'),
        baseLr: n('baseLr'),
        lr: n('lr'),
        best: n('best'),
        numBadEpochs: n('numBadEpochs'),
        cooldownCounter: n('cooldownCounter'),
      };
    },
  };
}
