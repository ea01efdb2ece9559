import type * as tf from '@tensorflow/tfjs-core';
import { ExplainOptionsError } from '../errors';
import { occlusion as run, occlusionAsync as runAsync, type OcclusionOptions } from '../occlusion';
import type { AttributionMethod } from './method';

type Options = Omit<OcclusionOptions, 'baseline'> & { baseline?: number | tf.Tensor };

export const occlusion: AttributionMethod<Options> = {
  name: 'occlusion',
  label: 'occlusion',
  summary: 'the mean drop of the score over the windows of `baseline` that cover each pixel',
  options: [
    { name: 'window', meaning: '[h, w] for images, a length for flat inputs' },
    { name: 'stride', default: '1', meaning: 'step between windows' },
    { name: 'baseline', default: '0', meaning: 'the value an occluded pixel takes' },
  ],
  conserves: 'none',
  attribute(session, x, { window, stride, baseline, signal }) {
    return run(session, x, { window, stride, baseline: numberBaseline(baseline), signal });
  },
  async attributeAsync(session, x, { window, stride, baseline, signal }) {
    return runAsync(session, x, { window, stride, baseline: numberBaseline(baseline), signal });
  },
};

function numberBaseline(baseline: number | tf.Tensor | undefined): number | undefined {
  if (baseline !== undefined && typeof baseline !== 'number') throw new ExplainOptionsError('occlusion baseline must be a number');
  return baseline;
}
