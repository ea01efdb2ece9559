import type { ReplayReport } from './protocol';

/**
 * Where a run stands with fit's compiled step: steps replayed ('compiled'), or none yet ('eager': a run fit
 * does not compile, and every compiled run's first steps, since the first step is eager and the next traces).
 */
export type ReplayState = 'compiled' | 'eager';

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The Train tab's one line on how the worker trains, from fit's own counts and reasons. */
export function describeReplay(r: ReplayReport): { state: ReplayState; text: string } {
  if (!r.compiled) return { state: 'eager', text: `eager: ${r.reason ?? 'fit does not compile this run'} (${count(r.steps, 'step')})` };
  // a reason is why some step ran eagerly (a trace refused while the loss's first-call checks read the host, a guard)
  const why = r.fallbacks.length ? `; eager for: ${r.fallbacks.join('; ')}` : '';
  const eager = count(r.eager, 'eager step');
  if (r.replays === 0) return { state: 'eager', text: `eager so far: ${eager}, none replayed yet${why}` };
  return {
    state: 'compiled',
    text: `compiled: ${r.replays} of ${count(r.steps, 'step')} replayed (${count(r.traces, 'trace')}), ${eager}${why}`,
  };
}
