import type * as tf from '@tensorflow/tfjs-core';
import { integratedGradients as run, integratedGradientsAsync as runAsync } from '../gradients';
import type { AttributionMethod } from './method';

export const integratedGradients: AttributionMethod<{ baseline?: number | tf.Tensor; steps?: number; signal?: AbortSignal }> = {
  name: 'integratedGradients',
  label: 'integrated gradients',
  summary: '(x - b) * mean_k grad f(b + (k + 0.5) / steps (x - b)), the midpoint rule',
  options: [
    { name: 'baseline', default: '0', meaning: 'b: a number, or a tensor shaped like x or like one sample' },
    { name: 'steps', default: '32', meaning: 'midpoints on the straight path from b to x' },
  ],
  conserves: 'scoreDifference',
  attribute: (session, x, { baseline, steps, signal }) => run(session, x, { baseline, steps, signal }),
  attributeAsync: (session, x, { baseline, steps, signal }) => runAsync(session, x, { baseline, steps, signal }),
};
