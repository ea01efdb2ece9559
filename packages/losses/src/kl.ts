import * as tf from '@tensorflow/tfjs-core';
import { replayable } from '@logitlab/core';
import { requireFloat, requireSameShape } from './checks';
import { LossShapeError } from './errors';
import { checkReduction, mean, type Reduction } from './reduce';

export interface KlDivOptions {
  /** Target given as log-probabilities. */
  logTarget?: boolean;
  /** 'batchmean' (sum / batch size) is the mathematically correct KL; 'mean' divides by every element, as PyTorch's default. */
  reduction?: Reduction | 'batchmean';
}

/**
 * PyTorch's kl_div: `input` holds LOG-probabilities, the target probabilities (or log-probabilities
 * with logTarget). Pointwise t (log t - input), with 0 log 0 = 0.
 */
export function klDiv(input: tf.Tensor, target: tf.Tensor, { logTarget = false, reduction = 'mean' }: KlDivOptions = {}): tf.Tensor {
  checkReduction(reduction, ['mean', 'sum', 'none', 'batchmean'], 'klDiv');
  requireFloat('klDiv', 'input', input);
  requireFloat('klDiv', 'target', target);
  requireSameShape('klDiv', input, target);
  return tf.tidy(() => {
    let pointwise: tf.Tensor;
    if (logTarget) {
      pointwise = tf.mul(tf.exp(target), tf.sub(target, input));
    } else {
      const positive = tf.greater(target, 0);
      const xlogx = tf.where(positive, tf.mul(target, tf.log(tf.where(positive, target, tf.onesLike(target)))), tf.zerosLike(target));
      pointwise = tf.sub(xlogx, tf.mul(target, input));
    }
    if (reduction === 'none') return pointwise;
    if (reduction === 'sum') return tf.sum(pointwise);
    if (reduction === 'mean') return mean(pointwise);
    return tf.div(tf.sum(pointwise), input.rank > 0 ? (input.shape[0] ?? 1) : 1);
  });
}

export interface GaussianKlOptions {
  /** Over the batch: 'mean' (default), 'sum', or 'none' for per-sample values [N]. */
  reduction?: Reduction;
}

/**
 * KL(N(mu, exp(logVar)) || N(0, 1)) = -1/2 sum(1 + logVar - mu^2 - exp(logVar)) over the latent
 * (last) axis, then reduced over the batch.
 */
export function gaussianKl(mu: tf.Tensor, logVar: tf.Tensor, { reduction = 'mean' }: GaussianKlOptions = {}): tf.Tensor {
  checkReduction(reduction, ['mean', 'sum', 'none'], 'gaussianKl');
  requireFloat('gaussianKl', 'mu', mu);
  requireFloat('gaussianKl', 'logVar', logVar);
  requireSameShape('gaussianKl', mu, logVar, ['mu', 'logVar']);
  if (mu.rank < 1) throw new LossShapeError('gaussianKl: mu and logVar need a latent axis, got scalars');
  return tf.tidy(() => {
    const perSample = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), tf.exp(logVar)), -1));
    if (reduction === 'none') return perSample;
    return reduction === 'sum' ? tf.sum(perSample) : mean(perSample);
  });
}

// only tensor computations (their checks are deferred inside a step): a compiled step may replay them
replayable(klDiv);
replayable(gaussianKl);
