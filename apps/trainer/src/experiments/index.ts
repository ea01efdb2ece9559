import type { Experiment } from './types';

/** Loaded on demand: an experiment's module pulls in its models only when it runs. */
export const EXPERIMENTS: Record<string, () => Promise<Experiment>> = {
  heads: async () => (await import('./heads')).heads,
  'deep-taylor': async () => (await import('./deep-taylor')).deepTaylor,
  segmentation: async () => (await import('./segmentation')).segmentation,
  multilabel: async () => (await import('./multilabel')).multilabel,
  batchnorm: async () => (await import('./batchnorm')).batchnorm,
  logits: async () => (await import('./logits')).logits,
  'vae-beta': async () => (await import('./vae-beta')).vaeBeta,
  'explain-convnet': async () => (await import('./explain-convnet')).explainConvnet,
};
