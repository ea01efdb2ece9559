import { isReplayable } from '@logitlab/core';
import { describe, expect, it } from 'vitest';
import { RECIPES } from './recipes';

describe("the web trainer's recipes", () => {
  // the mark passing on only from a marked loss and forward is core's replayableLike (tested there)
  it("keep the registry's replayable mark on their (model, x, y) loss, so the worker's fit compiles them", () => {
    expect(Object.keys(RECIPES).length).toBeGreaterThan(0);
    for (const [id, r] of Object.entries(RECIPES)) expect(isReplayable(r.loss), id).toBe(true);
  });
});
