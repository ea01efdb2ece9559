/** Experiment names in tour order (segmentation and multilabel together make the seed's third experiment). */
export const EXPERIMENT_NAMES = [
  'heads',
  'deep-taylor',
  'segmentation',
  'multilabel',
  'batchnorm',
  'logits',
  'vae-beta',
  'explain-convnet',
];

/** Models `logitlab train` knows. */
export const MODEL_NAMES = ['convnet', 'bn-mlp', 'sumpool', 'vae', 'autoencoder'];
