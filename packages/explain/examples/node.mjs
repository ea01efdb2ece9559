// Runnable as written after `pnpm --filter @logitlab/explain... build`: node packages/explain/examples/node.mjs
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { explain, randomisationCheck } from '@logitlab/explain';
import { manualSeed } from '@logitlab/layers';
import { MnistConvNet } from '@logitlab/models';

await useBackend('wasm'); // or 'cpu'; registers every gradient, also in plain Node
manualSeed(0);
const model = new MnistConvNet({ head: 'logSoftmax' }); // load trained weights with loadSafetensorsInto
const x = tf.randomUniform([4, 28, 28, 1]); // NHWC images in [0, 1]

// LRP: zB on conv1 (pixels in [0, 1]), gamma on conv2, epsilon on the dense layers; the head is skipped
const lrp = explain(model, x, { method: 'lrp', composite: 'epsilonGammaBox', bounds: [0, 1] });
console.log('relevance', lrp.relevance.shape, 'targets', Array.from(lrp.target));
console.log('logit', Array.from(lrp.score), 'sum R - logit', Array.from(lrp.conservation.delta));

// the same call for gradient methods: a class per sample, integrated gradients from a zero baseline
const ig = explain(model, x, { method: 'integratedGradients', target: [0, 1, 2, 3], steps: 16 });
console.log('IG convergence delta', Array.from(ig.conservation.delta));

// sanity check: heatmaps of the trained vs layer-by-layer randomised model (Spearman per layer)
console.log(randomisationCheck(model, x, { composite: 'epsilonPlus' }));
tf.dispose([x, lrp.relevance, ig.relevance]);
model.dispose();
