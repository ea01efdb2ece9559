import * as tf from '@tensorflow/tfjs-core';
import type { LinearMap } from '@logitlab/explain';

/**
 * The residual Sum as a linear map: z = sum of the summands on the last axis. Under the composites'
 * pool rule (proportional) each summand gets relevance in proportion to its share of the sum, as
 * zennit's rule for `Sum` layers; the gradient alone would hand each the whole relevance.
 */
export const sumMap: LinearMap = {
  weight: null,
  bias: null,
  apply: (x) => tf.sum(x, -1),
  transpose: (s, _w, shape) => tf.mul(tf.expandDims(s, -1), tf.ones([...shape])),
};

/** Global average pooling as the window sum over H and W (LRP's proportional rule needs no 1 / area). */
export const globalPoolMap: LinearMap = {
  weight: null,
  bias: null,
  apply: (x) => tf.sum(x, [1, 2], true),
  transpose: (s, _w, shape) => tf.mul(s, tf.ones([...shape])),
};
