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

/** `logitlab explain --method` values (the @logitlab/explain methods; a test keeps the two lists equal). */
export const EXPLAIN_METHODS = [
  'lrp',
  'gradient',
  'sensitivity',
  'gradientTimesInput',
  'integratedGradients',
  'smoothGrad',
  'gradCam',
  'occlusion',
];

/** `logitlab explain --composite` values (the @logitlab/explain named composites). */
export const EXPLAIN_COMPOSITES = ['epsilon', 'epsilonPlus', 'epsilonGammaBox', 'epsilonAlpha2Beta1', 'deepTaylor'];
