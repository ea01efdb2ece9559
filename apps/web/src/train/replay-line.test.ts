import { describe, expect, it } from 'vitest';
import { describeReplay } from './replay-line';

describe("the Train tab's compile line", () => {
  it('says compiled, with the counts, when steps replayed and no reason to run eagerly came', () => {
    expect(describeReplay({ steps: 420, replayed: 418, fallbacks: [] })).toEqual({
      state: 'compiled',
      text: "compiled: 418 of 420 steps replayed, 2 ran the loss's JavaScript",
    });
  });

  it('says eager with the reason when no step replayed (the UI has no unreplayable model: this is its only test)', () => {
    const reason = "the recipe's loss is not marked replayable, so fit's compile: 'auto' steps it eagerly";
    expect(describeReplay({ steps: 1, replayed: 0, fallbacks: [reason] })).toEqual({
      state: 'eager',
      text: `eager: ${reason} (1 step, none replayed)`,
    });
    expect(describeReplay({ steps: 30, replayed: 0, fallbacks: ['a host read (dataSync)', 'Adamax has no compiled form'] }).text).toBe(
      'eager: a host read (dataSync); Adamax has no compiled form (30 steps, none replayed)',
    );
  });

  it('names the reason beside the replays when only some steps ran eagerly', () => {
    expect(describeReplay({ steps: 40, replayed: 31, fallbacks: ['input shapes changed'] })).toEqual({
      state: 'partly',
      text: "compiled: 31 of 40 steps replayed, 9 ran the loss's JavaScript; eager for: input shapes changed",
    });
  });

  it('says eager, and that no reason came, while no step has replayed (every run starts so)', () => {
    expect(describeReplay({ steps: 0, replayed: 0, fallbacks: [] }).state).toBe('eager');
    expect(describeReplay({ steps: 2, replayed: 0, fallbacks: [] })).toEqual({
      state: 'eager',
      text: 'eager so far: 2 steps, none replayed (fit told no reason)',
    });
  });
});
