import * as tf from '@tensorflow/tfjs-core';
import { replayable } from '@logitlab/core';
import { binaryCrossEntropy, crossEntropy, mseLoss, nllLoss, vaeLoss } from '@logitlab/losses';
import {
  Autoencoder,
  BnMlp,
  type ConvNetHead,
  type LatentModel,
  type LatentOutput,
  MnistConvNet,
  SumPoolExplainer,
  Vae,
} from '@logitlab/models';
import type { Batch } from '@logitlab/train';
import { define } from './define';
import type { Recipe, RecipeVariant } from './types';

// Sizes reconciled from the three former copies (trainer CLI, web page, make-weights), keeping the ones
// the trainer's experiments report with, so the tour's numbers stay: see the package README.

const classAccuracy = (o: tf.Tensor, y: tf.Tensor) => tf.mean(tf.cast(tf.equal(tf.argMax(o, -1), tf.cast(y, 'int32')), 'float32'));

export const CONVNET_HEADS: readonly ConvNetHead[] = ['logits', 'logSoftmax', 'softmax', 'sigmoid'];
const DIGITS: Record<'quick' | 'full', RecipeVariant> = {
  quick: { epochs: 3, batchSize: 64, trainCount: 6000, testCount: 1000 },
  full: { epochs: 8, batchSize: 64, trainCount: 60000, testCount: 10000 },
};

/**
 * The seed notebook's convnet and optimiser (SGD lr 0.01, momentum 0.5: PyTorch's MNIST example);
 * every head but logits goes into nllLoss, which is the lesson (softmax / sigmoid + NLL do not learn).
 * Targets come from our own loader, so the per-step label range check (a host read) is skipped.
 */
// One line per head on purpose: pitfall warnings fire once per call site, so heads sharing one loss
// line would let the first (correct) head use up the checks of the wrong ones.
// Every loss and forward fit is given here is marked `replayable`: each only computes with tensors, so
// `fit`'s default compile replays them. (A pitfall check's host read on a call site's first calls makes
// those steps eager on their own: the compiled step traces again once the checks stop.)
const HEAD_LOSSES: Record<ConvNetHead, (o: tf.Tensor, y: tf.Tensor) => tf.Tensor> = {
  logits: replayable((o: tf.Tensor, y: tf.Tensor) => crossEntropy(o, y, { validate: false })),
  logSoftmax: replayable((o: tf.Tensor, y: tf.Tensor) => nllLoss(o, y, { validate: false })),
  softmax: replayable((o: tf.Tensor, y: tf.Tensor) => nllLoss(o, y, { validate: false })),
  sigmoid: replayable((o: tf.Tensor, y: tf.Tensor) => nllLoss(o, y, { validate: false })),
};

export function convnet(head: ConvNetHead): Recipe<MnistConvNet> {
  const logits = head === 'logits';
  return define({
    id: `convnet-${head}`,
    label: `convnet, ${head} head + ${logits ? 'crossEntropy' : 'nllLoss'}`,
    data: 'digits',
    optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.5 },
    variants: DIGITS,
    lossName: logits ? 'crossEntropy' : 'nllLoss',
    create: () => new MnistConvNet({ head }),
    loss: HEAD_LOSSES[head],
    accuracy: classAccuracy,
  });
}

const BN_MLP_HIDDEN = {
  sizes: [256, 128],
  maxLayers: 4,
  create: (sizes: readonly number[]) => new BnMlp({ sizes: [784, ...sizes, 10], dropout: 0.2 }),
};

/** BatchNorm MLP 784-256-128-10 with dropout 0.2 (the batchnorm experiment): SGD lr 0.01, momentum 0.9. */
export const bnMlp = define({
  id: 'bn-mlp',
  label: 'BatchNorm MLP 784-256-128-10, dropout 0.2',
  data: 'digits',
  optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 },
  variants: {
    quick: { epochs: 2, batchSize: 64, trainCount: 3000, testCount: 1000 },
    full: { epochs: 5, batchSize: 64, trainCount: 60000, testCount: 10000 },
  },
  lossName: 'crossEntropy',
  create: () => new BnMlp({ sizes: [784, ...BN_MLP_HIDDEN.sizes, 10], dropout: 0.2 }),
  hidden: BN_MLP_HIDDEN,
  loss: replayable((o: tf.Tensor, y: tf.Tensor) => crossEntropy(o, y, { validate: false })),
  accuracy: classAccuracy,
});

/**
 * Montavon et al. 2017's sum-pool network on two-digit images (targets 0-3 vs distractors 4-9):
 * MSE to 100 / 0, Adam lr 1e-3, biases projected to <= 0 after every step. (The web page had 1e-4,
 * ten times lower than the other two copies; 1e-3 is what the deep-taylor experiment reports with.)
 */
export const explainer = define({
  id: 'explainer',
  label: 'sum-pool explainer (Montavon et al. 2017)',
  data: 'pairs',
  optimizer: { kind: 'adam', lr: 0.001 },
  variants: {
    // 12 quick epochs: at 4 the heatmaps do not yet single out the 0-3 digit
    quick: { epochs: 12, batchSize: 64, trainCount: 4000, testCount: 1000, pairs: { train: 6000, test: 1000 } },
    full: { epochs: 20, batchSize: 64, trainCount: 60000, testCount: 10000, pairs: { train: 30000, test: 5000 } },
  },
  lossName: 'MSE to 100 / 0, biases projected to <= 0',
  create: () => new SumPoolExplainer({ nonPositiveBias: true }),
  loss: replayable((o: tf.Tensor, y: tf.Tensor) => mseLoss(o, y)),
  afterStep: (m) => m.projectBiases(),
  accuracy: (o, y) => tf.mean(tf.cast(tf.equal(tf.greater(tf.reshape(o, [-1]), 50), tf.greater(tf.reshape(y, [-1]), 50)), 'float32')),
});

type LatentBatchOutput = LatentOutput & { input: tf.Tensor };
const LATENT: Record<'quick' | 'full', RecipeVariant> = {
  quick: { epochs: 10, batchSize: 128, trainCount: 5000, testCount: 1000 },
  full: { epochs: 30, batchSize: 128, trainCount: 60000, testCount: 10000 },
};
export const VAE_BETAS = [0.5, 1, 5] as const;
export type Beta = (typeof VAE_BETAS)[number];

/**
 * Summed squared error (or BCE) per image plus beta * KL for a VAE, ONE reduction for both terms (per-image
 * sums, averaged over the batch), so the two terms are on one scale.
 */
export function latentObjective(out: LatentBatchOutput, beta: number, reconstruction: 'mse' | 'bce' = 'mse'): tf.Tensor {
  if (!out.logVar) {
    const perImage =
      reconstruction === 'mse'
        ? mseLoss(out.reconstruction, out.input, { reduction: 'sum' })
        : binaryCrossEntropy(out.reconstruction, out.input, { reduction: 'sum' });
    return tf.div(perImage, out.input.shape[0] ?? 1);
  }
  return vaeLoss(
    { reconstruction: out.reconstruction, input: out.input, mu: out.mu, logVar: out.logVar },
    { beta, reconstruction, reduction: 'mean' },
  ).loss;
}

/** A latent model's outputs with the batch's input beside them, for `latentObjective`. */
function latentForward(m: LatentModel, b: Batch): LatentBatchOutput {
  return { ...m.forwardWithLatent(b.x), input: b.x };
}

function latent<M extends LatentModel>(id: string, label: string, create: () => M, beta: number | null): Recipe<M, LatentBatchOutput> {
  return define<M, LatentBatchOutput>({
    id,
    label,
    data: 'latent',
    // Adam lr 2e-3 (the vae-beta experiment and the web page; the CLI's train and make-weights had 1e-3)
    optimizer: { kind: 'adam', lr: 0.002 },
    variants: LATENT,
    lossName: beta === null ? 'MSE summed per image' : `MSE summed per image + ${beta} * KL`,
    create,
    forward: replayable((m: M, b: Batch) => latentForward(m, b)),
    loss: replayable((out: LatentBatchOutput) => latentObjective(out, beta ?? 1)),
  });
}

export function vae(beta: Beta): Recipe<Vae, LatentBatchOutput> {
  return latent(`vae-${beta}`, `VAE, beta = ${beta}`, () => new Vae({ input: 784, latent: 30, decoderActivation: 'tanh' }), beta);
}

export const autoencoder = latent(
  'autoencoder',
  'autoencoder (same sizes, no prior)',
  () => new Autoencoder({ input: 784, latent: 30, decoderActivation: 'tanh' }),
  null,
);

/**
 * A VAE whose prior samples read as digits, beside the linear 784-30 ones above (whose samples from
 * N(0, I) are mostly grey): PyTorch's VAE example (a ReLU hidden layer, sigmoid decoder, [0, 1]
 * pixels, BCE summed per image + KL, Adam lr 1e-3, batch 128), narrowed from 400 to 128 hidden units
 * and 20 latents so the shipped float32 asset stays under 1 MB (209k parameters; 400 would be 2.6 MB).
 */
const VAE_MLP_HIDDEN = {
  sizes: [128],
  maxLayers: 1,
  create: (sizes: readonly number[]) => new Vae({ input: 784, hidden: sizes[0] ?? 128, latent: 20, decoderActivation: 'sigmoid' }),
};
export const vaeMlp = define<Vae, LatentBatchOutput>({
  id: 'vae-mlp',
  label: 'VAE 784-128-20, sigmoid decoder, BCE',
  data: 'pixels',
  optimizer: { kind: 'adam', lr: 0.001 },
  variants: {
    quick: { epochs: 5, batchSize: 128, trainCount: 5000, testCount: 1000 },
    full: { epochs: 20, batchSize: 128, trainCount: 60000, testCount: 10000 },
  },
  lossName: 'BCE summed per image + KL',
  create: () => VAE_MLP_HIDDEN.create(VAE_MLP_HIDDEN.sizes),
  hidden: VAE_MLP_HIDDEN,
  forward: replayable((m: Vae, b: Batch) => latentForward(m, b)),
  loss: replayable((out: LatentBatchOutput) => latentObjective(out, 1, 'bce')),
});
