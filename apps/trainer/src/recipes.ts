import * as tf from '@tensorflow/tfjs-core';
import { DataLoader, pairedDigits } from '@logitlab/datasets';
import type { Module } from '@logitlab/layers';
import { crossEntropy, gaussianKl, mseLoss, nllLoss } from '@logitlab/losses';
import { Autoencoder, BnMlp, type ConvNetHead, type LatentModel, MnistConvNet, SumPoolExplainer, Vae } from '@logitlab/models';
import { digitLoader, loadDigits, normalised } from './data';
import { accuracyOf, argmaxLast, latentObjective, predict } from './experiments/common';
import type { ExperimentContext } from './experiments/types';
import { type TrainResult, trainModel } from './training';

/** How `logitlab train <model>` builds, feeds, trains and scores one model. */
export interface Recipe {
  arch: string;
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

export function archOf(model: string, head: string | undefined): string {
  switch (model) {
    case 'convnet':
      return `MnistConvNet(head=${head ?? 'logSoftmax'})`;
    case 'bn-mlp':
      return 'BnMlp(784-256-128-10, dropout 0.2)';
    case 'sumpool':
      return 'SumPoolExplainer(1568-400-sum4-100-400-sum-1)';
    case 'vae':
      return 'Vae(784-30, tanh)';
    case 'autoencoder':
      return 'Autoencoder(784-30, tanh)';
    default:
      return model;
  }
}

/** A fresh (untrained) model for `evaluate` / `explain` to load a checkpoint into. */
export function buildModel(model: string, head: string | undefined): Module {
  switch (model) {
    case 'convnet':
      return new MnistConvNet({ head: (head ?? 'logSoftmax') as ConvNetHead });
    case 'bn-mlp':
      return new BnMlp({ sizes: [784, 256, 128, 10], dropout: 0.2 });
    case 'sumpool':
      return new SumPoolExplainer();
    case 'vae':
      return new Vae({ input: 784, latent: 30, decoderActivation: 'tanh' });
    default:
      return new Autoencoder({ input: 784, latent: 30, decoderActivation: 'tanh' });
  }
}

export async function buildRecipe(name: string, head: string | undefined, ctx: ExperimentContext): Promise<Recipe> {
  const quick = ctx.opts.quick;
  const digits = await loadDigits(ctx, { trainCount: quick ? 6000 : 60000, testCount: quick ? 1000 : 10000 });
  const model = buildModel(name, head);
  const arch = archOf(name, head);
  if (name === 'convnet' || name === 'bn-mlp') {
    const batchSize = ctx.opts.batchSize ?? 64;
    const lr = ctx.opts.lr ?? 0.01;
    const testX = normalised(digits.test.images);
    const logProbs = name === 'convnet' && head !== 'logits';
    const optimizer = tf.train.momentum(lr, name === 'convnet' ? 0.5 : 0.9);
    const epochs = ctx.opts.epochs ?? (quick ? 2 : 5);
    return {
      arch,
      model,
      optimizer,
      epochs,
      batchSize,
      lr,
      source: digits.source,
      train: (tag) =>
        trainModel(ctx, {
          tag,
          arch,
          model,
          optimizer,
          epochs,
          data: digitLoader(digits.train, { batchSize, seed: ctx.seed }),
          loss: (o, y) => (logProbs ? nllLoss(o, y, { validate: false }) : crossEntropy(o, y, { validate: false })),
        }),
      evaluate: async () => ({ testAccuracy: accuracyOf(await predict(model, testX, [28, 28, 1], { map: argmaxLast }), digits.test.labels) }),
    };
  }
  if (name === 'sumpool') {
    const sp = model as SumPoolExplainer;
    const train = pairedDigits(digits.train, { count: quick ? 6000 : 30000, seed: ctx.seed * 10 + 1 });
    const test = pairedDigits(digits.test, { count: quick ? 1000 : 5000, seed: ctx.seed * 10 + 2 });
    const batchSize = ctx.opts.batchSize ?? 64;
    const lr = ctx.opts.lr ?? 0.001;
    const optimizer = tf.train.adam(lr);
    const epochs = ctx.opts.epochs ?? (quick ? 4 : 10);
    return {
      arch,
      model,
      optimizer,
      epochs,
      batchSize,
      lr,
      source: `${train.count} two-digit images from ${digits.source}`,
      train: (tag) =>
        trainModel(ctx, {
          tag,
          arch,
          model: sp,
          optimizer,
          epochs,
          data: new DataLoader({ x: train.images, xShape: [28 * 56], y: train.targets, yShape: [1] }, { batchSize, shuffle: true, seed: ctx.seed }),
          loss: (o, y) => mseLoss(o, y),
          afterStep: (m) => m.projectBiases(),
        }),
      evaluate: async () => {
        const f = await predict(model, test.images, [28 * 56]);
        let ok = 0;
        for (let i = 0; i < test.count; i++) if (f[i]! > 50 === test.targets[i]! > 50) ok++;
        return { testAccuracy: ok / test.count };
      },
    };
  }
  // vae / autoencoder on digits scaled to [-1, 1] for the tanh decoder
  const lm = model as LatentModel;
  const trainX = digits.train.images.map((v) => v * 2 - 1);
  const testX = digits.test.images.map((v) => v * 2 - 1);
  const batchSize = ctx.opts.batchSize ?? 128;
  const lr = ctx.opts.lr ?? 0.001;
  const optimizer = tf.train.adam(lr);
  const epochs = ctx.opts.epochs ?? (quick ? 5 : 20);
  return {
    arch,
    model,
    optimizer,
    epochs,
    batchSize,
    lr,
    source: digits.source,
    train: (tag) =>
      trainModel(ctx, {
        tag,
        arch,
        model: lm,
        optimizer,
        epochs,
        data: new DataLoader({ x: trainX, xShape: [784], y: trainX, yShape: [784] }, { batchSize, shuffle: true, seed: ctx.seed }),
        forward: (m, b) => ({ ...m.forwardWithLatent(b.x), input: b.x }),
        loss: (out) => latentObjective(out, 1),
      }),
    evaluate: async (): Promise<Record<string, number>> =>
      tf.tidy(() => {
        lm.eval();
        const x = tf.tensor2d(testX, [digits.test.count, 784]);
        const enc = lm.encode(x);
        const rec = mseLoss(lm.decode(enc.mu), x, { reduction: 'sum' }).dataSync()[0]! / digits.test.count;
        const kl = enc.logVar ? gaussianKl(enc.mu, enc.logVar).dataSync()[0]! : NaN;
        const m: Record<string, number> = { reconstructionLoss: rec };
        if (enc.logVar) m.kl = kl;
        return m;
      }),
  };
}
