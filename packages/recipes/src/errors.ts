import { LogitlabError } from '@logitlab/core';

/** Base of every error thrown by @logitlab/recipes. */
export class RecipeError extends LogitlabError {
  override name = 'RecipeError';
}

/** A recipe name that is not in the registry; `known` lists the names that are. */
export class UnknownRecipeError extends RecipeError {
  override name = 'UnknownRecipeError';
  constructor(
    readonly recipe: string,
    readonly known: readonly string[],
  ) {
    const near = known.filter((k) => k.startsWith(recipe.split('-')[0] ?? recipe) || recipe.startsWith(k.split('-')[0] ?? k));
    super(`unknown recipe "${recipe}"; expected one of ${known.join(', ')}${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`);
  }
}
