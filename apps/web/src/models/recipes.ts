// The web's recipes ARE @logitlab/recipes' registry (no second copy). Below the re-export is a thin
// adapter that shapes each entry for the page: the worker's `fit` call takes its loss as
// (model, x, y), and the pages need the in-page step budget, which is not part of a recipe.
import type * as tf from '@tensorflow/tfjs-core';
import { isReplayable, replayableLike } from '@logitlab/core';
import type { Module } from '@logitlab/layers';
import type { ConvNetHead } from '@logitlab/models';
import {
  CONVNET_HEADS,
  type DataKind,
  type OptimizerKind,
  RECIPE_IDS,
  type Recipe as RegistryRecipe,
  type RecipeId,
  recipe,
  VAE_BETAS,
} from '@logitlab/recipes';

export { RECIPES as REGISTRY, recipe, fitOptionsOf, type DataKind, type RecipeId } from '@logitlab/recipes';

/** Every model the pages use, by the name of its weight asset (= its recipe id). */
export const HEADS: readonly ConvNetHead[] = CONVNET_HEADS;
export const BETAS = VAE_BETAS;
export type Beta = (typeof BETAS)[number];
export type ConvNetId = `convnet-${ConvNetHead}`;
export type VaeId = `vae-${Beta}`;
/** The registry's ids: every recipe can be trained in the page. */
export type ModelId = RecipeId;
export const MODEL_IDS: readonly ModelId[] = RECIPE_IDS;

/** The page's own budget: steps it trains in the page when no shipped weights exist (not part of a recipe). */
const QUICK_STEPS: Record<DataKind, number> = { digits: 150, pairs: 300, latent: 300, pixels: 300 };

/** The page's shape of a recipe, derived from the registry entry. */
export interface Recipe {
  id: ModelId;
  label: string;
  data: DataKind;
  /** The recipe's model, or (MLPs only) the same with other hidden widths. */
  create(hidden?: readonly number[] | null): Module;
  /** The recipe's optimiser, or another kind / rate (the Train tab's settings). */
  makeOptimizer(lr?: number, kind?: OptimizerKind): tf.Optimizer;
  optimizer: OptimizerKind;
  /** The MLPs' hidden widths and how many hidden layers they can have; null for the others. */
  hidden: { sizes: readonly number[]; maxLayers: number } | null;
  loss(model: Module, x: tf.Tensor, y: tf.Tensor): tf.Scalar;
  accuracy: ((model: Module, x: tf.Tensor, y: tf.Tensor) => tf.Scalar) | null;
  afterStep?(model: Module): void;
  learningRate: number;
  batchSize: number;
  quickSteps: number;
}

function adapt(id: ModelId): Recipe {
  const r: RegistryRecipe<Module, unknown> = recipe(id);
  const output = (m: Module, x: tf.Tensor, y: tf.Tensor) => (r.forward ? r.forward(m, { x, y }) : m.call(x));
  const out: Recipe = {
    id,
    label: r.label,
    data: r.data,
    create: (hidden) => (hidden && r.hidden ? r.hidden.create(hidden) : r.create()),
    makeOptimizer: (lr, kind) => r.makeOptimizer(lr, kind),
    optimizer: r.optimizer.kind,
    hidden: r.hidden ? { sizes: r.hidden.sizes, maxLayers: r.hidden.maxLayers } : null,
    // marked replayable (so the worker's fit compiles it) when the recipe's loss and forward are
    loss: replayableLike(
      r.forward === undefined || isReplayable(r.forward) ? r.loss : undefined,
      (m: Module, x: tf.Tensor, y: tf.Tensor) => r.loss(output(m, x, y), y) as tf.Scalar,
    ),
    accuracy: r.accuracy ? (m, x, y) => r.accuracy?.(output(m, x, y), y) as tf.Scalar : null,
    learningRate: r.optimizer.lr,
    batchSize: r.variants.quick.batchSize,
    quickSteps: QUICK_STEPS[r.data],
  };
  if (r.afterStep) out.afterStep = (m) => r.afterStep?.(m);
  return out;
}

export const RECIPES = Object.fromEntries(MODEL_IDS.map((id) => [id, adapt(id)])) as Record<ModelId, Recipe>;
