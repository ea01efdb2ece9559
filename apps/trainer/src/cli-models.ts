/**
 * `logitlab train <model> [--head]` names a recipe of @logitlab/recipes: the one table from CLI names to
 * recipe ids (kept free of imports: the CLI reads its names at startup, before any workspace package loads).
 */
export const CLI_RECIPES: Readonly<Record<string, (head: string | undefined) => string>> = {
  convnet: (head) => `convnet-${head ?? 'logSoftmax'}`,
  'bn-mlp': () => 'bn-mlp',
  sumpool: () => 'explainer',
  vae: () => 'vae-1',
  autoencoder: () => 'autoencoder',
};

/** Models `logitlab train` knows. */
export const MODEL_NAMES: readonly string[] = Object.keys(CLI_RECIPES);
