import type * as tf from '@tensorflow/tfjs-core';
import { replayableLike } from '@logitlab/core';
import type { Module } from '@logitlab/layers';
import type { Batch } from '@logitlab/train';
import type { Autoencoder, BnMlp, ConvNetHead, LatentOutput, MnistConvNet, SumPoolExplainer, Vae } from '@logitlab/models';
import { autoencoder, type Beta, bnMlp, CONVNET_HEADS, convnet, explainer, VAE_BETAS, vae, vaeMlp } from './entries';
import { UnknownRecipeError } from './errors';
import type { Recipe, RecipeFitOptions } from './types';

type LatentBatch = LatentOutput & { input: tf.Tensor };

/** Every named recipe, with its model class and the output its loss receives. */
export type RecipeRegistry = { [K in `convnet-${ConvNetHead}`]: Recipe<MnistConvNet> } & {
  'bn-mlp': Recipe<BnMlp>;
  explainer: Recipe<SumPoolExplainer>;
  autoencoder: Recipe<Autoencoder, LatentBatch>;
  'vae-mlp': Recipe<Vae, LatentBatch>;
} & { [K in `vae-${Beta}`]: Recipe<Vae, LatentBatch> };

export type RecipeId = keyof RecipeRegistry;

/** The registry: the one place a model's training recipe is written. */
export const RECIPES: RecipeRegistry = {
  ...(Object.fromEntries(CONVNET_HEADS.map((h) => [`convnet-${h}`, convnet(h)])) as {
    [K in `convnet-${ConvNetHead}`]: Recipe<MnistConvNet>;
  }),
  'bn-mlp': bnMlp,
  explainer,
  ...(Object.fromEntries(VAE_BETAS.map((b) => [`vae-${b}`, vae(b)])) as { [K in `vae-${Beta}`]: Recipe<Vae, LatentBatch> }),
  autoencoder,
  'vae-mlp': vaeMlp,
};

/** Recipe ids in a stable order (pickers, --help). */
export const RECIPE_IDS = Object.keys(RECIPES) as RecipeId[];

export function isRecipeId(id: string): id is RecipeId {
  return Object.hasOwn(RECIPES, id);
}

/** The recipe named `id`; an unknown name is an UnknownRecipeError listing the known ones (never a silent default). */
export function recipe<K extends RecipeId>(id: K): RecipeRegistry[K];
export function recipe(id: string): Recipe<Module, unknown>;
export function recipe(id: string): Recipe<Module, unknown> {
  if (!isRecipeId(id)) throw new UnknownRecipeError(id, RECIPE_IDS);
  return RECIPES[id] as unknown as Recipe<Module, unknown>;
}

/** A recipe's loss, forward, afterStep and batch metrics as @logitlab/train's fit takes them. */
export function fitOptionsOf<M extends Module, O>(r: Recipe<M, O>): RecipeFitOptions<M, O> {
  // the wrappers keep the entries' `replayable` marks: fit compiles only marked losses and forwards
  const out: RecipeFitOptions<M, O> = { loss: replayableLike(r.loss, (o: O, y: tf.Tensor) => r.loss(o, y)), metrics: {} };
  if (r.forward) {
    const forward = r.forward.bind(r);
    out.forward = replayableLike(r.forward, (m: M, b: Batch) => forward(m, b));
  }
  if (r.afterStep) {
    const after = r.afterStep.bind(r);
    out.afterStep = (m) => after(m);
  }
  if (r.accuracy) {
    const acc = r.accuracy.bind(r);
    out.metrics['accuracy'] = (o, y) => acc(o, y);
  }
  return out;
}
