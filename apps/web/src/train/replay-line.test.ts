import { describe, expect, it } from 'vitest';
import type { ReplayReport } from './protocol';
import { describeReplay } from './replay-line';

const compiled = (r: Partial<ReplayReport>): ReplayReport => ({
  compiled: true,
  steps: 0,
  eager: 0,
  traces: 0,
  replays: 0,
  fallbacks: [],
  ...r,
});

describe("the Train tab's compile line", () => {
  it("says compiled, with fit's counts, once steps replay", () => {
    expect(describeReplay(compiled({ steps: 420, eager: 1, traces: 1, replays: 419 }))).toEqual({
      state: 'compiled',
      text: 'compiled: 419 of 420 steps replayed (1 trace), 1 eager step',
    });
  });

  it('names the reasons beside the replays when some steps ran eagerly', () => {
    const r = compiled({ steps: 12, eager: 4, traces: 2, replays: 8, fallbacks: ['the loss read the host (dataSync)'] });
    expect(describeReplay(r)).toEqual({
      state: 'compiled',
      text: 'compiled: 8 of 12 steps replayed (2 traces), 4 eager steps; eager for: the loss read the host (dataSync)',
    });
  });

  it('says eager, with the reason fit gives, for a run fit does not compile', () => {
    const reason = "compile 'auto': the loss is not marked replayable";
    expect(describeReplay({ compiled: false, reason, steps: 30, eager: 0, traces: 0, replays: 0, fallbacks: [] })).toEqual({
      state: 'eager',
      text: `eager: ${reason} (30 steps)`,
    });
  });

  it('says eager so far while a compiled run has not replayed yet (every run starts so)', () => {
    expect(describeReplay(compiled({ steps: 1, eager: 1 }))).toEqual({
      state: 'eager',
      text: 'eager so far: 1 eager step, none replayed yet',
    });
  });
});
