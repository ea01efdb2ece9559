/** A scheduler's mutable state as plain numbers: what a checkpoint stores to resume it exactly. */
export type SchedulerState = Record<string, number>;

/**
 * A learning-rate schedule with PyTorch's semantics (`torch.optim.lr_scheduler`), driven by fit:
 * `interval: 'epoch'` ones advance after every epoch (after validation, so reduceLROnPlateau sees
 * `val_loss`), `interval: 'step'` ones (oneCycleLR) after every optimiser step. Used by hand:
 * `s.init(0.1)` gives the first rate, then `s.step()` (or `s.step(metric)`) returns each next one.
 */
export interface LrScheduler {
  /** PyTorch's class name in camelCase ('stepLR', 'cosineAnnealingLR', ...). */
  readonly name: string;
  readonly interval: 'step' | 'epoch';
  /** The epoch log the scheduler reads (reduceLROnPlateau only). */
  readonly monitor?: string;
  /** The options it was built with (a resume must use the same schedule). */
  readonly config: Readonly<Record<string, number | string | boolean>>;
  /** Starts the schedule from the optimiser's learning rate; returns the rate for the first step. */
  init(baseLr: number): number;
  /** Advances one epoch or step (`metric` for reduceLROnPlateau); returns the new rate. */
  step(metric?: number): number;
  /** The current rate. */
  readonly lr: number;
  state(): SchedulerState;
  load(state: SchedulerState): void;
}
