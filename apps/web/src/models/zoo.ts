import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { emit, status } from '../app';
import { RECIPES, type ModelId } from './recipes';
import { Trainer } from './trainer';
import { loadWeights, type WeightSource } from './weights';

export interface ZooEntry<M extends Module = Module> {
  id: ModelId;
  model: M;
  source: WeightSource;
}

const entries = new Map<ModelId, Promise<ZooEntry>>();

/**
 * The one instance of each model the pages share. First use loads the shipped weights; when the
 * asset is missing the model trains itself briefly in the page, so every page still works.
 */
export function getModel<M extends Module = Module>(id: ModelId): Promise<ZooEntry<M>> {
  let p = entries.get(id);
  if (!p) {
    p = (async () => {
      const recipe = RECIPES[id];
      const model = recipe.create();
      model.eval();
      const entry: ZooEntry = { id, model, source: 'untrained' };
      if (await loadWeights(model, id)) {
        entry.source = 'pretrained';
      } else {
        status(`no shipped weights for ${id}: training it in the page (${recipe.quickSteps} steps)…`);
        await new Trainer(recipe, model, {
          steps: recipe.quickSteps,
          onStep: (r) => {
            if (r.step % 25 === 0) status(`training ${id} in the page: step ${r.step}/${recipe.quickSteps}, loss ${r.loss.toFixed(3)}`);
          },
        }).run();
        model.eval();
        entry.source = 'trained in page';
        status(`${id} trained in the page`);
      }
      return entry;
    })();
    entries.set(id, p);
    // A failed load must not poison the cache: the next visit tries again.
    p.catch(() => entries.delete(id));
  }
  return p as Promise<ZooEntry<M>>;
}

/** Copies weights trained on the Train tab into the shared instance and tells the pages. */
export async function adoptWeights(id: ModelId, trained: Module): Promise<void> {
  const entry = await getModel(id);
  const dict = trained.stateDict();
  try {
    entry.model.loadStateDict(dict);
  } finally {
    tf.dispose(Object.values(dict));
  }
  entry.source = 'trained in page';
  emit('weights', id);
}
