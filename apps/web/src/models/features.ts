import * as tf from '@tensorflow/tfjs-core';
import type { SumPoolExplainer } from '@logitlab/models';

/**
 * The sum-pool explainer's pooled detections (fc1 + relu, summed in groups of 4: 100 values), the
 * layer scripts/make-ood.mjs measured the training pairs in. Uses the model's public layers, so it
 * reads the weights the page explains. The caller disposes the result.
 */
export function explainerFeatures(model: SumPoolExplainer, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => model.pool.call(tf.relu(model.fc1.call(tf.reshape(x, [x.shape[0] ?? 1, model.inputSize])))));
}
