import type { ReplayReport } from './protocol';

/**
 * Where a run stands with fit's compiled step: every step so far after the first few replayed
 * ('compiled'), some replayed and some eager for a reason ('partly'), none replayed for a reason
 * ('eager'), or none replayed and no reason given yet ('pending': the first step is eager and the
 * second traces, and fit only tells a reason once it gives up tracing).
 */
export type ReplayState = 'compiled' | 'partly' | 'eager' | 'pending';

const steps = (n: number): string => `${n} step${n === 1 ? '' : 's'}`;

/**
 * The Train tab's one line on how the worker trains. It states counts the worker observed and the
 * reasons fit told, nothing more: fit reports no trace count, so warm-up, traces and eager steps are
 * one number ("ran the loss's JavaScript").
 */
export function describeReplay(r: ReplayReport): { state: ReplayState; text: string } {
  const ran = r.steps - r.replayed;
  const reasons = r.fallbacks.join('; ');
  if (r.replayed > 0 && reasons === '')
    return {
      state: 'compiled',
      text: `compiled: ${r.replayed} of ${steps(r.steps)} replayed, ${ran} ran the loss's JavaScript (warm-up, traces)`,
    };
  if (r.replayed > 0)
    return { state: 'partly', text: `compiled: ${r.replayed} of ${steps(r.steps)} replayed, ${ran} eager or tracing: ${reasons}` };
  if (reasons !== '') return { state: 'eager', text: `eager: ${reasons} (${steps(r.steps)}, none replayed)` };
  return { state: 'pending', text: `not replayed yet: ${steps(r.steps)} ran the loss's JavaScript (warm-up, traces)` };
}
