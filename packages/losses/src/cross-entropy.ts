import * as tf from '@tensorflow/tfjs-core';
import { replayable } from '@logitlab/core';
import { checkClassTargets, checkWeight, looksLikeProbabilities, requireFloat, sampleRowsForCheck, shapeStr, warnPitfall } from './checks';
import { LossDtypeError, LossOptionError, LossShapeError } from './errors';
import { pickedNll, reduceWeighted } from './nll';
import { checkReduction, mean, type Reduction } from './reduce';
import { logSoftmax } from './softmax';

export interface CrossEntropyOptions {
  /** Per-class weight [C]. */
  weight?: tf.Tensor;
  /** Class-index targets equal to this are skipped (PyTorch's -100). */
  ignoreIndex?: number;
  /** Mixes the target with the uniform distribution: (1 - e) * target + e / C. */
  labelSmoothing?: number;
  reduction?: Reduction;
  /** Range-check class-index targets (one small read-back per call). With false, an out-of-range target makes the loss NaN (PyTorch raises). */
  validate?: boolean;
}

/**
 * PyTorch's cross_entropy on LOGITS, classes on the last axis ([N, C], or per pixel [N, H, W, C]).
 * Targets are int32 class indices shaped like the input without its class axis, or float32 class
 * probabilities shaped like the input.
 */
export function crossEntropy(logits: tf.Tensor, target: tf.Tensor, options: CrossEntropyOptions = {}): tf.Tensor {
  const { weight, ignoreIndex = -100, labelSmoothing = 0, reduction = 'mean', validate = true } = options;
  checkReduction(reduction, ['mean', 'sum', 'none'], 'crossEntropy');
  requireFloat('crossEntropy', 'input (logits)', logits);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
    throw new LossOptionError(`crossEntropy: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  const c = logits.shape[logits.rank - 1] ?? 0;
  checkWeight('crossEntropy', weight, c);
  const probTargets = target.dtype === 'float32' && target.rank === logits.rank;
  if (target.dtype === 'float32' && !probTargets) {
    throw new LossDtypeError(
      `crossEntropy: class-index targets must be int32, got float32 ${shapeStr(target)}; probability targets must have the input's shape ${shapeStr(logits)}`,
    );
  }
  if (probTargets && target.shape.some((d, i) => d !== logits.shape[i])) {
    throw new LossShapeError(`crossEntropy: probability target ${shapeStr(target)} must have the input's shape ${shapeStr(logits)}`);
  }
  if (!probTargets) checkClassTargets('crossEntropy', logits, target, ignoreIndex, validate);
  warnIfProbabilities(logits);
  return tf.tidy(() => {
    const logp = logSoftmax(logits);
    if (probTargets) return probabilityTargets(logp, target, c, weight, labelSmoothing, reduction);
    const { losses, weights, valid } = pickedNll(logp, target, c, weight, ignoreIndex);
    const nll = reduceWeighted(losses, weights, reduction, target.shape);
    if (labelSmoothing === 0) return nll;
    // PyTorch: (1 - e) * nll + e / C * smooth, smooth = -sum_c w_c log p_c, with nll's normaliser
    const m = target.size;
    const wRow = weight ? tf.reshape(weight, [1, c]) : tf.scalar(1);
    // select, not multiply, for ignored rows: their log-probabilities may hold -Infinity (PyTorch's masked_fill)
    const smoothAll = tf.neg(tf.sum(tf.mul(tf.reshape(logp, [m, c]), wRow), -1));
    const smooth = tf.where(tf.cast(valid, 'bool'), smoothAll, tf.zerosLike(smoothAll));
    const smoothReduced = reduceWeighted(smooth, weights, reduction, target.shape);
    return tf.add(tf.mul(nll, 1 - labelSmoothing), tf.mul(smoothReduced, labelSmoothing / c));
  });
}

function probabilityTargets(
  logp: tf.Tensor,
  target: tf.Tensor,
  c: number,
  weight: tf.Tensor | undefined,
  eps: number,
  reduction: Reduction,
): tf.Tensor {
  const t = eps > 0 ? tf.add(tf.mul(target, 1 - eps), eps / c) : target;
  const weighted = weight ? tf.mul(tf.mul(logp, t), weight) : tf.mul(logp, t);
  const perRow = tf.neg(tf.sum(weighted, -1));
  // the mean is over samples (input.numel / C), not over the weights
  if (reduction === 'mean') return mean(perRow);
  if (reduction === 'sum') return tf.sum(perRow);
  return perRow;
}

function warnIfProbabilities(logits: tf.Tensor): void {
  if ((logits.shape[logits.rank - 1] ?? 0) < 2) return;
  const sample = sampleRowsForCheck('ce-got-probabilities', logits);
  if (!sample || !looksLikeProbabilities(sample.rows, true)) return;
  warnPitfall(
    'ce-got-probabilities',
    sample.site,
    'crossEntropy got rows that are already probabilities (in [0, 1], summing to 1), but it applies log-softmax itself and wants LOGITS. ' +
      'Remove the softmax from the model head (softmax twice flattens the gradients).',
  );
}

// only tensor computations (their checks are deferred inside a step): a compiled step may replay them
replayable(crossEntropy);
