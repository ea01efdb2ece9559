export { RECIPES, RECIPE_IDS, recipe, isRecipeId, fitOptionsOf, type RecipeRegistry, type RecipeId } from './registry';
export { CONVNET_HEADS, VAE_BETAS, latentObjective, type Beta } from './entries';
export { OPTIMIZER_KINDS, withOptimizer } from './optimizer';
export { normalised, tanhRange } from './data';
export { RecipeError, UnknownRecipeError } from './errors';
export type {
  Recipe,
  RecipeVariant,
  VariantName,
  DataKind,
  OptimizerSpec,
  OptimizerKind,
  HiddenLayers,
  RecipeData,
  RecipeFitOptions,
} from './types';
