import { describe, expect, it } from 'vitest';
import type { FitCompilation } from '../types';
import { describeCompilation } from './describe-compilation';

const compiled = (c: Partial<FitCompilation>): FitCompilation => ({ compiled: true, eager: 0, traces: 0, replays: 0, fallbacks: [], ...c });

describe('describeCompilation', () => {
  it("gives fit's counts once steps replay", () => {
    expect(describeCompilation(compiled({ eager: 1, traces: 1, replays: 419 }), 420)).toBe(
      'compiled: 419 of 420 steps replayed (1 trace), 1 eager step',
    );
  });

  it('names the reasons beside the replays when some steps ran eagerly', () => {
    const c = compiled({
      eager: 4,
      traces: 2,
      replays: 8,
      fallbacks: ['a host read (dataSync()) inside the step', 'input 0 changed shape'],
    });
    expect(describeCompilation(c, 12)).toBe(
      'compiled: 8 of 12 steps replayed (2 traces), 4 eager steps; eager for: a host read (dataSync()) inside the step; input 0 changed shape',
    );
  });

  it('gives the reason fit does not compile', () => {
    const reason = "compile 'auto': the loss is not marked replayable";
    expect(describeCompilation({ compiled: false, reason, eager: 0, traces: 0, replays: 0, fallbacks: [] }, 30)).toBe(
      `eager: ${reason} (30 steps)`,
    );
    expect(describeCompilation({ compiled: false, eager: 0, traces: 0, replays: 0, fallbacks: [] }, 1)).toBe(
      'eager: fit does not compile this run (1 step)',
    );
  });

  it('says eager so far while a compiled run has not replayed yet', () => {
    expect(describeCompilation(compiled({ eager: 1 }), 1)).toBe('eager so far: 1 eager step, none replayed yet');
  });
});
