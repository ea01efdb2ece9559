import type * as tf from '@tensorflow/tfjs-core';
import type { DataLoader } from '@logitlab/datasets';
import type { Module } from '@logitlab/layers';
import type { Batch, BatchMetric, ForwardFn, LossFn, LrScheduler } from '@logitlab/train';

/**
 * What a recipe trains on, from [0, 1] pixels: 'digits' (28x28 images, normalised with MNIST's mean
 * and std, class labels), 'pairs' (Montavon two-digit images 28x56, raw pixels, regression targets
 * 100 / 0), 'latent' (digits scaled to [-1, 1] for tanh decoders, the input is the target),
 * 'pixels' (digits as [0, 1] pixels for sigmoid decoders with a BCE reconstruction, the input is the target).
 */
export type DataKind = 'digits' | 'pairs' | 'latent' | 'pixels';

/** Sizes of one variant: `quick` (tour, CI, in-page training) or `full`. */
export interface RecipeVariant {
  epochs: number;
  batchSize: number;
  /** Training images to load (pairs are built from them for 'pairs'). */
  trainCount: number;
  testCount: number;
  /** Two-digit images to build from the loaded digits ('pairs' only). */
  pairs?: { train: number; test: number };
}

export type VariantName = 'quick' | 'full';

/** The optimiser a recipe trains with (tfjs's; names as in PyTorch). */
export type OptimizerSpec = { kind: 'momentum'; lr: number; momentum: number } | { kind: 'sgd' | 'adam'; lr: number };
export type OptimizerKind = OptimizerSpec['kind'];

/**
 * The hidden-layer widths of an MLP recipe, which a user may change (the web's Train tab): `create`
 * builds the recipe's model with other widths, everything else the same.
 */
export interface HiddenLayers<M extends Module = Module> {
  /** The recipe's widths, input and output excluded (bn-mlp: [256, 128]). */
  readonly sizes: readonly number[];
  /** How many hidden layers the model can have (a Vae has one). */
  readonly maxLayers: number;
  create(sizes: readonly number[]): M;
}

/** Images (and labels or regression targets) as loaded: [count, ...] row-major, pixels in [0, 1]. */
export interface RecipeData {
  images: Float32Array;
  count: number;
  /** Class labels ('digits') or regression targets ('pairs'); unused for 'latent'. */
  targets?: ArrayLike<number>;
}

/**
 * One named recipe: how to build, feed, train and score one model. Methods (not function fields) so
 * a recipe of a specific model is usable where any recipe is expected.
 */
export interface Recipe<M extends Module = Module, O = tf.Tensor> {
  readonly id: string;
  /** One line for pickers and --help. */
  readonly label: string;
  readonly data: DataKind;
  /** Shape of one input sample ([28, 28, 1] or [1568] or [784]). */
  readonly sampleShape: readonly number[];
  readonly optimizer: OptimizerSpec;
  readonly variants: Readonly<Record<VariantName, RecipeVariant>>;
  /** A fresh model; initial weights come from the layers' global generator (manualSeed). */
  create(): M;
  /** Present for the MLPs, whose hidden widths a user may change. */
  readonly hidden?: HiddenLayers<M>;
  /** The recipe's optimiser (with `lr` instead of the recipe's rate, `kind` instead of its optimiser, when given). */
  makeOptimizer(lr?: number, kind?: OptimizerKind): tf.Optimizer;
  /** The learning-rate schedule, when the recipe has one (none today: a constant rate). */
  makeScheduler?(variant: VariantName): LrScheduler;
  /** Pixels as the model takes them: normalised digits, raw pairs, [-1, 1] for tanh decoders. */
  prepareInputs(images: Float32Array): Float32Array;
  /** Shuffled training batches (seeded: the order depends only on seed and epoch). */
  loader(data: RecipeData, options: { batchSize: number; seed: number; shuffle?: boolean }): DataLoader;
  /** What the loss receives; absent: the model's output. */
  forward?(model: M, batch: Batch): O;
  loss(output: O, target: tf.Tensor): tf.Tensor;
  /** After each optimiser step (the explainer projects its biases to <= 0). */
  afterStep?(model: M): void;
  /** Batch accuracy for classifiers and the explainer (threshold 50); absent where accuracy means nothing. */
  accuracy?(output: O, target: tf.Tensor): tf.Tensor | number;
  /** One sentence for reports and weight metadata, e.g. "SGD lr 0.01 momentum 0.5, batch 64, 3 epochs, nllLoss". */
  describe(variant: VariantName, overrides?: { epochs?: number; batchSize?: number; lr?: number }): string;
}

/** fit's options for a recipe (loss, forward, afterStep), ready to spread into `fit(model, { ... })`. */
export interface RecipeFitOptions<M extends Module, O> {
  loss: LossFn<O>;
  forward?: ForwardFn<M, O>;
  afterStep?: (model: M) => void;
  metrics: Record<string, BatchMetric<O>>;
}
