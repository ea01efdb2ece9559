import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { crossEntropy, mseLoss, nllLoss, vaeLoss } from '@logitlab/losses';
import { Autoencoder, MnistConvNet, SumPoolExplainer, Vae, type ConvNetHead } from '@logitlab/models';

/** Every model the pages use, by the name of its weight asset. */
export const HEADS: readonly ConvNetHead[] = ['logits', 'logSoftmax', 'softmax', 'sigmoid'];
export const BETAS = [0.5, 1, 5] as const;
export type Beta = (typeof BETAS)[number];

export type ConvNetId = `convnet-${ConvNetHead}`;
export type VaeId = `vae-${Beta}`;
export type ModelId = ConvNetId | 'explainer' | VaeId | 'autoencoder';

export const MODEL_IDS: readonly ModelId[] = [
  ...HEADS.map((h) => `convnet-${h}` as const),
  'explainer',
  ...BETAS.map((b) => `vae-${b}` as const),
  'autoencoder',
];

/** Training data: normalised digits (convnet), Montavon two-digit images, digits in [-1, 1] (tanh decoders). */
export type DataKind = 'digits' | 'pairs' | 'latent';

/**
 * How a model is built and trained, shared by the Train tab and the fallback that trains in the
 * page when a shipped weight file is missing. `loss` runs inside optimizer.minimize.
 */
export interface Recipe {
  id: ModelId;
  label: string;
  data: DataKind;
  create(): Module;
  loss(model: Module, x: tf.Tensor, y: tf.Tensor): tf.Scalar;
  /** Batch accuracy (classifiers and the explainer), or null where accuracy means nothing. */
  accuracy: ((model: Module, x: tf.Tensor, y: tf.Tensor) => tf.Scalar) | null;
  /** Projection or bookkeeping after each optimiser step. */
  afterStep?(model: Module): void;
  learningRate: number;
  batchSize: number;
  /** Steps the page trains for when no shipped weights exist. */
  quickSteps: number;
}

const LESSON_LOSS: Record<ConvNetHead, string> = {
  logits: 'crossEntropy',
  logSoftmax: 'nllLoss',
  softmax: 'nllLoss',
  sigmoid: 'nllLoss',
};

function convnet(head: ConvNetHead): Recipe {
  return {
    id: `convnet-${head}`,
    label: `convnet, ${head} head + ${LESSON_LOSS[head]}`,
    data: 'digits',
    create: () => new MnistConvNet({ head }),
    // The seed's pairing: every head but logits goes into nllLoss, which is the lesson. Targets come
    // from our own loader, so the per-step range check (a synchronous read-back) is skipped.
    loss: (m, x, y) => (head === 'logits' ? crossEntropy(m.call(x), y, { validate: false }) : nllLoss(m.call(x), y, { validate: false })) as tf.Scalar,
    accuracy: (m, x, y) => tf.mean(tf.cast(tf.equal(tf.argMax(m.call(x), -1), tf.cast(y, 'int32')), 'float32')),
    learningRate: 2e-3,
    batchSize: 64,
    quickSteps: 150,
  };
}

function vae(beta: Beta): Recipe {
  return {
    id: `vae-${beta}`,
    label: `VAE, beta = ${beta}`,
    data: 'latent',
    create: () => new Vae({ input: 784, latent: 30, decoderActivation: 'tanh' }),
    loss: (m, x) => {
      const { reconstruction, mu, logVar } = (m as Vae).forwardWithLatent(x);
      // Summed per sample, averaged over the batch: both terms on one scale (see vaeLoss).
      return vaeLoss({ reconstruction, input: x, mu, logVar: logVar as tf.Tensor2D }, { beta }).loss as tf.Scalar;
    },
    accuracy: null,
    learningRate: 2e-3,
    batchSize: 128,
    quickSteps: 300,
  };
}

export const RECIPES: Record<ModelId, Recipe> = {
  ...(Object.fromEntries(HEADS.map((h) => [`convnet-${h}`, convnet(h)])) as Record<ConvNetId, Recipe>),
  explainer: {
    id: 'explainer',
    label: 'sum-pool explainer (Montavon et al. 2017)',
    data: 'pairs',
    create: () => new SumPoolExplainer({ nonPositiveBias: true }),
    loss: (m, x, y) => mseLoss(m.call(x), tf.reshape(y, [-1, 1])) as tf.Scalar,
    // A pair is "positive" (contains a target digit) when its target is 100; threshold at 50.
    accuracy: (m, x, y) => tf.mean(tf.cast(tf.equal(tf.greater(tf.reshape(m.call(x), [-1]), 50), tf.greater(tf.reshape(y, [-1]), 50)), 'float32')),
    afterStep: (m) => (m as SumPoolExplainer).projectBiases(),
    learningRate: 1e-4,
    batchSize: 64,
    quickSteps: 300,
  },
  ...(Object.fromEntries(BETAS.map((b) => [`vae-${b}`, vae(b)])) as Record<VaeId, Recipe>),
  autoencoder: {
    id: 'autoencoder',
    label: 'autoencoder (same sizes, no prior)',
    data: 'latent',
    create: () => new Autoencoder({ input: 784, latent: 30, decoderActivation: 'tanh' }),
    // The VAE's reconstruction term alone (summed per sample, batch mean), so the two compare.
    loss: (m, x) => tf.div(mseLoss(m.call(x), x, { reduction: 'sum' }), x.shape[0] ?? 1) as tf.Scalar,
    accuracy: null,
    learningRate: 2e-3,
    batchSize: 128,
    quickSteps: 300,
  },
};
