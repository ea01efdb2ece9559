import type * as tf from '@tensorflow/tfjs-core';
import type { DataLoader } from '@logitlab/datasets';
import type { Module } from '@logitlab/layers';
import type { Batch } from '@logitlab/train';
import { loaderFor, PREPARE, SAMPLE_SHAPES } from './data';
import { describeOptimizer, makeOptimizer, withOptimizer } from './optimizer';
import type { DataKind, HiddenLayers, OptimizerKind, OptimizerSpec, Recipe, RecipeData, RecipeVariant, VariantName } from './types';

/** What an entry states; `define` adds the shared behaviour (data preparation, optimiser, description). */
export interface RecipeSpec<M extends Module, O> {
  id: string;
  label: string;
  data: DataKind;
  optimizer: OptimizerSpec;
  variants: Record<VariantName, RecipeVariant>;
  /** The loss in words, for describe(). */
  lossName: string;
  create: () => M;
  hidden?: HiddenLayers<M>;
  forward?: (model: M, batch: Batch) => O;
  loss: (output: O, target: tf.Tensor) => tf.Tensor;
  afterStep?: (model: M) => void;
  accuracy?: (output: O, target: tf.Tensor) => tf.Tensor | number;
}

export function define<M extends Module, O = tf.Tensor>(spec: RecipeSpec<M, O>): Recipe<M, O> {
  const recipe: Recipe<M, O> = {
    id: spec.id,
    label: spec.label,
    data: spec.data,
    sampleShape: SAMPLE_SHAPES[spec.data],
    optimizer: spec.optimizer,
    variants: spec.variants,
    create: spec.create,
    ...(spec.hidden ? { hidden: spec.hidden } : {}),
    makeOptimizer: (lr?: number, kind?: OptimizerKind) => makeOptimizer(withOptimizer(spec.optimizer, kind, lr)),
    prepareInputs: (images: Float32Array) => PREPARE[spec.data](images),
    loader: (data: RecipeData, options: { batchSize: number; seed: number; shuffle?: boolean }): DataLoader =>
      loaderFor(spec.data, data, options),
    loss: spec.loss,
    describe(variant, overrides = {}) {
      const v = spec.variants[variant];
      const epochs = overrides.epochs ?? v.epochs;
      return `${describeOptimizer(spec.optimizer, overrides.lr)}, batch ${overrides.batchSize ?? v.batchSize}, ${epochs} epoch${epochs === 1 ? '' : 's'}, ${spec.lossName}`;
    },
  };
  if (spec.forward) recipe.forward = spec.forward;
  if (spec.afterStep) recipe.afterStep = spec.afterStep;
  if (spec.accuracy) recipe.accuracy = spec.accuracy;
  return recipe;
}
