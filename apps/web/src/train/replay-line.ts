import { describeCompilation } from '@logitlab/train';
import type { ReplayReport } from './protocol';

/**
 * Where a run stands with fit's compiled step: steps replayed ('compiled'), or none yet ('eager': a run fit
 * does not compile, and every compiled run's first steps, since the first step is eager and the next traces).
 */
export type ReplayState = 'compiled' | 'eager';

/** The Train tab's one line on how the worker trains, from fit's own counts and reasons. */
export function describeReplay(r: ReplayReport): { state: ReplayState; text: string } {
  return { state: r.compiled && r.replays > 0 ? 'compiled' : 'eager', text: describeCompilation(r, r.steps) };
}
