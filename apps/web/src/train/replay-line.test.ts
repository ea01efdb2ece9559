import { describe, expect, it } from 'vitest';
import type { ReplayReport } from './protocol';
import { describeReplay } from './replay-line';

const report = (r: Partial<ReplayReport>): ReplayReport => ({
  compiled: true,
  steps: 0,
  eager: 0,
  traces: 0,
  replays: 0,
  fallbacks: [],
  ...r,
});

// the line's words are fit's describeCompilation (tested in @logitlab/train); the page adds the state its tests read
describe("the Train tab's compile state", () => {
  it('is compiled once a step replayed, with the line in the text', () => {
    expect(describeReplay(report({ steps: 12, eager: 4, traces: 2, replays: 8, fallbacks: ['a host read'] }))).toEqual({
      state: 'compiled',
      text: 'compiled: 8 of 12 steps replayed (2 traces), 4 eager steps; eager for: a host read',
    });
  });

  it('is eager for a run fit does not compile, and while a compiled run has not replayed yet', () => {
    expect(describeReplay(report({ compiled: false, reason: 'compile: false', steps: 3 })).state).toBe('eager');
    expect(describeReplay(report({ steps: 1, eager: 1 })).state).toBe('eager');
  });
});
