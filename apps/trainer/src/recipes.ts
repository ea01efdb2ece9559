import * as tf from '@tensorflow/tfjs-core';
import { pairedDigits } from '@logitlab/datasets';
import type { Module } from '@logitlab/layers';
import { gaussianKl, mseLoss } from '@logitlab/losses';
import type { LatentModel } from '@logitlab/models';
import { fitOptionsOf, isRecipeId, type Recipe, recipe, type RecipeData, type RecipeId, UnknownRecipeError } from '@logitlab/recipes';
import { loadDigits } from './data';
import { accuracyOf, argmaxLast, predict } from './predict';
import type { ExperimentContext } from './context';
import { CLI_RECIPES, MODEL_NAMES } from './cli-models';
import { type TrainResult, trainModel } from './training';

/** The recipe id for a CLI model name; an unknown name (or head) is an UnknownRecipeError. */
export function recipeIdOf(model: string, head: string | undefined): RecipeId {
  const of = Object.hasOwn(CLI_RECIPES, model) ? CLI_RECIPES[model] : undefined;
  if (!of) throw new UnknownRecipeError(model, MODEL_NAMES);
  const id = of(head);
  if (!isRecipeId(id)) throw new UnknownRecipeError(id, Object.keys(CLI_RECIPES));
  return id;
}

/** A fresh (untrained) model of a CLI model name, for `evaluate` / `explain` to load a checkpoint into. */
export function buildModel(model: string, head: string | undefined): Module {
  return recipe(recipeIdOf(model, head)).create();
}

/** How `logitlab train <model>` builds, feeds, trains and scores one model: a registry recipe at the run's sizes. */
export interface TrainRecipe {
  recipe: Recipe<Module, unknown>;
  model: Module;
  optimizer: tf.Optimizer;
  epochs: number;
  batchSize: number;
  lr: number;
  source: string;
  /** Trains the model through @logitlab/train's fit (checkpoints and resume under `tag`). */
  train: (tag: string) => Promise<TrainResult>;
  /** Held-out metrics of the trained model. */
  evaluate: () => Promise<Record<string, number>>;
}

export async function buildRecipe(name: string, head: string | undefined, ctx: ExperimentContext): Promise<TrainRecipe> {
  const r: Recipe<Module, unknown> = recipe(recipeIdOf(name, head));
  const v = r.variants[ctx.opts.quick ? 'quick' : 'full'];
  const digits = await loadDigits(ctx, { trainCount: v.trainCount, testCount: v.testCount });
  const batchSize = ctx.opts.batchSize ?? v.batchSize;
  const lr = ctx.opts.lr ?? r.optimizer.lr;
  const epochs = ctx.opts.epochs ?? v.epochs;
  const model = r.create();
  const optimizer = r.makeOptimizer(lr);
  let train: RecipeData = { images: digits.train.images, count: digits.train.count, targets: digits.train.labels };
  let test: RecipeData = { images: digits.test.images, count: digits.test.count, targets: digits.test.labels };
  let source = digits.source;
  if (r.data === 'pairs') {
    const pairs = v.pairs ?? { train: 0, test: 0 };
    const tr = pairedDigits(digits.train, { count: pairs.train, seed: ctx.seed * 10 + 1 });
    const te = pairedDigits(digits.test, { count: pairs.test, seed: ctx.seed * 10 + 2 });
    train = { images: tr.images, count: tr.count, targets: tr.targets };
    test = { images: te.images, count: te.count, targets: te.targets };
    source = `${tr.count} two-digit images from ${digits.source}`;
  }
  const testX = r.prepareInputs(test.images);
  const evaluate = async (): Promise<Record<string, number>> => {
    if (r.data === 'digits')
      return { testAccuracy: accuracyOf(await predict(model, testX, [...r.sampleShape], { map: argmaxLast }), test.targets ?? []) };
    if (r.data === 'pairs') {
      const f = await predict(model, testX, [...r.sampleShape]);
      let ok = 0;
      for (let i = 0; i < test.count; i++) if (f[i]! > 50 === (test.targets?.[i] ?? 0) > 50) ok++;
      return { testAccuracy: ok / test.count };
    }
    const lm = model as LatentModel;
    return tf.tidy(() => {
      lm.eval();
      const x = tf.tensor2d(testX, [test.count, 784]);
      const enc = lm.encode(x);
      const m: Record<string, number> = {
        reconstructionLoss: mseLoss(lm.decode(enc.mu), x, { reduction: 'sum' }).dataSync()[0]! / test.count,
      };
      if (enc.logVar) m.kl = gaussianKl(enc.mu, enc.logVar).dataSync()[0]!;
      return m;
    });
  };
  const { loss, forward, afterStep } = fitOptionsOf(r);
  return {
    recipe: r,
    model,
    optimizer,
    epochs,
    batchSize,
    lr,
    source,
    train: (tag) =>
      trainModel(ctx, { tag, model, optimizer, epochs, data: r.loader(train, { batchSize, seed: ctx.seed }), loss, forward, afterStep }),
    evaluate,
  };
}
