import type { ReplayReport } from './protocol';

/**
 * Where a run stands with fit's compiled step: steps replayed and no reason to run eagerly told
 * ('compiled'), steps replayed and some eager for a told reason ('partly'), or none replayed yet
 * ('eager': true of every run's first steps too, since the first step is eager and the next traces).
 */
export type ReplayState = 'compiled' | 'partly' | 'eager';

const steps = (n: number): string => `${n} step${n === 1 ? '' : 's'}`;

/**
 * The Train tab's one line on how the worker trains. It states counts the worker observed and the
 * reasons fit told, nothing more: fit reports no trace count, so warm-up, traces and eager steps are
 * one number ("ran the loss's JavaScript").
 */
export function describeReplay(r: ReplayReport): { state: ReplayState; text: string } {
  const ran = `${r.steps - r.replayed} ran the loss's JavaScript`;
  const reasons = r.fallbacks.join('; ');
  if (r.replayed > 0 && reasons === '') return { state: 'compiled', text: `compiled: ${r.replayed} of ${steps(r.steps)} replayed, ${ran}` };
  if (r.replayed > 0)
    return { state: 'partly', text: `compiled: ${r.replayed} of ${steps(r.steps)} replayed, ${ran}; eager for: ${reasons}` };
  if (reasons !== '') return { state: 'eager', text: `eager: ${reasons} (${steps(r.steps)}, none replayed)` };
  return { state: 'eager', text: `eager so far: ${steps(r.steps)}, none replayed (fit told no reason)` };
}
