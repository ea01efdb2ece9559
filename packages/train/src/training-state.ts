import { CheckpointError } from './errors';
import type { LrScheduler, SchedulerState } from './schedulers';
import type { GradClip, WeightDecay } from './step-options';

/**
 * fit's per-step options and the scheduler's position, as a checkpoint records them. A resume must
 * use the same options (else it would not continue the same run); the scheduler resumes its state.
 */
export interface TrainingState {
  accumulateSteps: number;
  gradClip?: GradClip;
  weightDecay?: WeightDecay;
  scheduler?: { name: string; config: Readonly<Record<string, number | string | boolean>>; state?: SchedulerState };
}

export function describeTraining(o: {
  accumulateSteps: number;
  gradClip?: GradClip;
  weightDecay?: WeightDecay;
  scheduler?: LrScheduler;
}): TrainingState {
  const t: TrainingState = { accumulateSteps: o.accumulateSteps };
  if (o.gradClip) t.gradClip = { ...o.gradClip };
  if (o.weightDecay) t.weightDecay = { ...o.weightDecay };
  if (o.scheduler) t.scheduler = { name: o.scheduler.name, config: o.scheduler.config };
  return t;
}

/** The description plus the scheduler's live state (what a checkpoint written now must hold). */
export function snapshotTraining(t: TrainingState, scheduler: LrScheduler | undefined): TrainingState {
  return scheduler && t.scheduler ? { ...t, scheduler: { ...t.scheduler, state: scheduler.state() } } : t;
}

/**
 * Checks that `current` continues `saved` (same per-step options and schedule), then loads the
 * scheduler's state unless `dryRun`. A checkpoint from before these options existed counts as the defaults.
 */
export function restoreTraining(
  saved: TrainingState | undefined,
  current: TrainingState,
  scheduler: LrScheduler | undefined,
  { dryRun = false } = {},
): void {
  const was = saved ?? { accumulateSteps: 1 };
  const { scheduler: a, ...restA } = was;
  const { scheduler: b, ...restB } = current;
  const want = stable({ ...restA, scheduler: a ? { name: a.name, config: a.config } : undefined });
  const got = stable({ ...restB, scheduler: b ? { name: b.name, config: b.config } : undefined });
  if (want !== got)
    throw new CheckpointError(
      `checkpoint was trained with ${want}, but this fit uses ${got}; expected the same per-step options and scheduler to resume`,
    );
  if (dryRun || !scheduler) return;
  if (!a?.state) throw new CheckpointError(`checkpoint records scheduler ${a?.name ?? '(none)'} without its state; cannot resume it`);
  try {
    scheduler.load(a.state);
  } catch (e) {
    throw new CheckpointError(`checkpoint's ${a.name} state is unusable: ${(e as Error).message}`);
  }
}

/** JSON with sorted keys (so equal options compare equal) and non-finite numbers kept as strings. */
export function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh array; toSorted is ES2023
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)));
    return v;
  });
}

/** Reads `stable` output back (non-finite numbers restored). Throws CheckpointError on malformed text. */
export function parseTraining(text: string): TrainingState {
  let v: unknown;
  try {
    v = JSON.parse(text, (_k, x: unknown) => (x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : x === 'NaN' ? Number.NaN : x));
  } catch (e) {
    throw new CheckpointError(`checkpoint metadata training is not valid JSON (${(e as Error).message}); the file is corrupt`);
  }
  const t = v as Partial<TrainingState> | null;
  if (!t || typeof t !== 'object' || !Number.isInteger(t.accumulateSteps) || (t.accumulateSteps as number) < 1) {
    throw new CheckpointError(
      `checkpoint metadata training = ${text.slice(0, 200)}; expected an object with a positive integer accumulateSteps`,
    );
  }
  if (
    t.scheduler !== undefined &&
    (typeof t.scheduler !== 'object' || typeof t.scheduler.name !== 'string' || typeof t.scheduler.config !== 'object')
  ) {
    throw new CheckpointError('checkpoint metadata training.scheduler is malformed; expected { name, config, state }');
  }
  if (t.scheduler?.state !== undefined) {
    for (const [k, x] of Object.entries(t.scheduler.state)) {
      if (typeof x !== 'number') throw new CheckpointError(`checkpoint scheduler state ${k} = ${String(x)}; expected a number`);
    }
  }
  return t as TrainingState;
}
