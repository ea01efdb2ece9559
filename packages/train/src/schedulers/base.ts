import { SchedulerError } from './errors';
import type { LrScheduler, SchedulerState } from './types';

export function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new SchedulerError(`${name} must be a positive integer; got ${v}`);
  return v;
}

export function finiteNumber(name: string, v: number, { min = -Infinity, max = Infinity } = {}): number {
  if (!Number.isFinite(v) || v < min || v > max) throw new SchedulerError(`${name} must be a finite number in [${min}, ${max}]; got ${v}`);
  return v;
}

/**
 * The bookkeeping every schedule shares: `lastEpoch` (PyTorch's counter: 0 after construction, +1
 * per step), the base rate and the current rate. `next` computes the rate after a step from these.
 */
export function scheduler(
  name: string,
  interval: 'step' | 'epoch',
  config: Record<string, number | string | boolean>,
  next: (s: { lastEpoch: number; baseLr: number; lr: number }) => number,
  first: (baseLr: number) => number = (b) => b,
): LrScheduler {
  let s: { lastEpoch: number; baseLr: number; lr: number } | undefined;
  const started = () => {
    if (!s) throw new SchedulerError(`${name} was stepped before init(baseLr); fit calls init, or call it yourself`);
    return s;
  };
  return {
    name,
    interval,
    config,
    init(baseLr) {
      s = { lastEpoch: 0, baseLr, lr: first(baseLr) };
      return s.lr;
    },
    step() {
      const cur = started();
      cur.lastEpoch++;
      cur.lr = next(cur);
      return cur.lr;
    },
    get lr() {
      return started().lr;
    },
    state: (): SchedulerState => ({ ...started() }),
    load(state) {
      s = { lastEpoch: num(state, 'lastEpoch', name), baseLr: num(state, 'baseLr', name), lr: num(state, 'lr', name) };
    },
  };
}

export function num(state: SchedulerState, key: string, name: string): number {
  const v = state[key];
  if (typeof v !== 'number' || Number.isNaN(v)) throw new SchedulerError(`${name} state.${key} = ${String(v)}; expected a number`);
  return v;
}
