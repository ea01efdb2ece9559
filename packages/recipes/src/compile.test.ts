// Every recipe's loss and forward are marked replayable, so `fit`'s default compile ('auto') replays
// their steps: the web trainer and `logitlab train <recipe>` get the compiled step without asking.
import { backendDataIds } from '@logitlab/backends/compat';
import { syntheticDigits, pairedDigits } from '@logitlab/datasets';
import { manualSeed, setPitfallWarnings, type Module } from '@logitlab/layers';
import { fit } from '@logitlab/train';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observeFit } from '../../../scripts/test-utils/observe-fit';
import { fitOptionsOf, recipe, RECIPE_IDS, type RecipeData } from './index';

const digits = syntheticDigits({ count: 8, seed: 5 });
const pairs = pairedDigits(digits, { count: 8, seed: 6 });
const dataFor = (kind: string): RecipeData =>
  kind === 'pairs'
    ? { images: pairs.images, count: pairs.count, targets: pairs.targets }
    : { images: digits.images, count: 8, targets: digits.labels };

/**
 * Two epochs of two batches of four through fit, compiled by default or eagerly: the replays, losses,
 * weights, warnings, and the tensors and data ids left once the model and optimizer are disposed.
 */
async function run(id: string, compile: false | undefined) {
  const r = recipe(id);
  return observeFit(async () => {
    manualSeed(2);
    const model: Module = r.create();
    const optimizer = r.makeOptimizer();
    const res = await fit(model, {
      ...fitOptionsOf(r),
      optimizer,
      data: r.loader(dataFor(r.data), { batchSize: 4, seed: 3 }),
      epochs: 2,
      seed: 4,
      ...(compile === false ? { compile } : {}),
    });
    const w = model.parameters().map((p) => Array.from(p.dataSync()));
    optimizer.dispose();
    model.dispose();
    return { losses: res.losses, w, replays: res.compilation.replays };
  }, backendDataIds);
}

describe("recipes under fit's default compile", () => {
  // the wrong heads' pitfall checks read the host on a call site's first calls (those steps then run eagerly)
  beforeEach(() => setPitfallWarnings(false));
  afterEach(() => setPitfallWarnings(true));

  for (const id of RECIPE_IDS) {
    it(`${id}: replays every step after the first, bit for bit the eager run on cpu, leaking nothing`, async () => {
      const r = recipe(id);
      const eager = await run(id, false);
      expect(eager.replays).toBe(0);
      const compiled = await run(id, undefined);
      // tfjs's MomentumOptimizer.dispose forgets its -lr scalar (the convnets and bn-mlp), compiled or not: under vitest
      // the tfjs-core copy these tests use is not the one @logitlab/backends fixes (backends' dist test checks the fix)
      expect(compiled.leaked).toEqual(eager.leaked);
      expect(eager.leaked).toEqual(r.optimizer.kind === 'momentum' ? { tensors: 1, dataIds: 1 } : { tensors: 0, dataIds: 0 });
      // the first step is eager (the optimizer makes its slots), the other three replay one plan
      expect(compiled.replays).toBe(3);
      expect(compiled.warnings).toEqual([]);
      expect(compiled.losses).toEqual(eager.losses);
      expect(compiled.w).toEqual(eager.w);
    });
  }
});
