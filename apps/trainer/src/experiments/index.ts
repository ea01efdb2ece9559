import type { Experiment } from './types';

export type { Experiment } from './types';

/** One experiment as the CLI lists it; `load` pulls in its module (and its models) only when it runs. */
export interface ExperimentEntry {
  readonly name: string;
  /** One line for --help and the tour's index. */
  readonly description: string;
  load(): Promise<Experiment>;
}

/**
 * The one list of experiments, in tour order (segmentation and multilabel together make the seed's
 * third experiment). The CLI's argument choices, `experiment`, the tour and the tests read it; adding
 * an experiment is one module and one entry here.
 */
export const EXPERIMENTS: readonly ExperimentEntry[] = [
  {
    name: 'heads',
    description: 'the convnet with four output heads; why NLL wants log-probabilities',
    load: async () => (await import('./heads')).heads,
  },
  {
    name: 'deep-taylor',
    description: 'train the sum-pool explainer on two-digit images, explain with Deep Taylor, compare AOPC',
    load: async () => (await import('./deep-taylor')).deepTaylor,
  },
  {
    name: 'segmentation',
    description: 'a small U-Net outputs per-pixel logits: background, target digit (0-3) or distractor (4-9)',
    load: async () => (await import('./segmentation')).segmentation,
  },
  {
    name: 'multilabel',
    description: 'multi-label logits + BCE-with-logits vs a softmax head: softmax cannot say "both"',
    load: async () => (await import('./multilabel')).multilabel,
  },
  {
    name: 'batchnorm',
    description: 'measure whether forward or the optimizer moves BatchNorm running stats, and train vs eval mode',
    load: async () => (await import('./batchnorm')).batchnorm,
  },
  {
    name: 'logits',
    description: 'loss and gradient of crossEntropy on logits vs nllLoss(log(softmax)) vs nllLoss(softmax) at growing logit scales',
    load: async () => (await import('./logits')).logits,
  },
  {
    name: 'vae-beta',
    description: 'autoencoder and beta-VAEs (latent 30, tanh decoder, MSE): reconstruction vs KL, samples, t-SNE latent maps',
    load: async () => (await import('./vae-beta')).vaeBeta,
  },
  {
    name: 'explain-convnet',
    description: 'LRP (epsilon-gamma-box) heatmaps of the convnet for each digit, right vs wrong head, with the randomisation check',
    load: async () => (await import('./explain-convnet')).explainConvnet,
  },
];

export const experimentNames = (): string[] => EXPERIMENTS.map((e) => e.name);
