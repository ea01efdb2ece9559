import * as tf from '@tensorflow/tfjs-core';
import { syntheticDigits } from '@logitlab/datasets';
import { describe, expect, it } from 'vitest';
import { loaderFor } from './data';
import { MODEL_IDS, RECIPES } from './recipes';

describe("the page's training data", () => {
  // The Train tab's worker feeds these batches to each recipe's loss; a shape they disagree on made a
  // model fail at its first held-out measurement (the explainer's [B, 1] output against [B] targets).
  it('gives every recipe batches its loss and accuracy accept, leaking nothing', () => {
    const set = syntheticDigits({ count: 8, seed: 3 });
    for (const id of MODEL_IDS) {
      const recipe = RECIPES[id];
      const model = recipe.create();
      const before = tf.memory().numTensors;
      for (const { x, y } of loaderFor(recipe.data, 4, { train: false, set })) {
        const [loss, accuracy] = tf.tidy(() => [recipe.loss(model, x, y).dataSync()[0], recipe.accuracy?.(model, x, y).dataSync()[0]]);
        tf.dispose([x, y]);
        expect(Number.isFinite(loss), `${id}: loss ${loss}`).toBe(true);
        if (recipe.accuracy) expect(accuracy, id).toBeGreaterThanOrEqual(0);
      }
      expect(tf.memory().numTensors, id).toBe(before);
      model.dispose();
    }
  });
});
