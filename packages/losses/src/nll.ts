import * as tf from '@tensorflow/tfjs-core';
import { replayable } from '@logitlab/core';
import { checkClassTargets, checkWeight, looksLikeProbabilities, requireFloat, sampleRowsForCheck, warnPitfall } from './checks';
import { checkReduction, type Reduction } from './reduce';

export interface NllLossOptions {
  /** Per-class weight [C]; a weighted mean divides by the summed weights of non-ignored targets. */
  weight?: tf.Tensor;
  ignoreIndex?: number;
  reduction?: Reduction;
  /** Range-check targets (one small read-back per call). With false, an out-of-range target makes the loss NaN (PyTorch raises). */
  validate?: boolean;
}

/**
 * Weighted negative log-likelihood of int32 class indices, classes on the last axis. Returns the
 * per-element losses and per-element weights (0 where ignored), flattened.
 *
 * One custom-gradient op over the log-probabilities: d loss_i / d logp_ij = -w_i where j is row i's
 * (valid, in-range) target, else 0. tfjs would tape and differentiate the ~15 selects, sums and casts
 * one by one, with a saved copy of each input; the classifier seed workloads ran a third of their kernel
 * calls here.
 */
export function pickedNll(logProbs: tf.Tensor, target: tf.Tensor, c: number, weight: tf.Tensor | undefined, ignoreIndex: number) {
  const m = target.size;
  const flatT = tf.reshape(target, [m]);
  const valid = tf.notEqual(flatT, ignoreIndex);
  // nothing has range-checked targets under validate: false; PyTorch raises, and a one-hot would silently give 0,
  // so an out-of-range target makes its loss NaN (fit's NaN check names the step) without a read-back here
  const inRange = tf.logicalAnd(tf.greaterEqual(flatT, 0), tf.less(flatT, c));
  const safeT = tf.where(tf.logicalAnd(valid, inRange), flatT, tf.zerosLike(flatT));
  const validF = tf.cast(valid, 'float32');
  const w = weight ? tf.mul(tf.gather(weight, safeT), validF) : validF;
  const picked = tf.customGrad((lp, save) => {
    // select the target's log-probability with a one-hot mask, not a one-hot multiply: 0 * -Infinity (a masked
    // non-target logit) is NaN. Not a gather either: its gradient, UnsortedSegmentSum, is a JS loop on wasm and
    // builds an [m * C, m] mask on cpu (10 GB for a per-pixel batch of 64 MNIST images)
    const lp2 = tf.reshape(lp as tf.Tensor, [m, c]);
    const hit = tf.cast(tf.oneHot(safeT, c), 'bool');
    const chosen = tf.sum(tf.where(hit, lp2, tf.zerosLike(lp2)), -1);
    // select, not multiply: an ignored target is parked on class 0, whose log-probability may be -Infinity
    const zeros = tf.zerosLike(chosen);
    const losses = tf.where(valid, tf.neg(tf.mul(chosen, w)), zeros);
    const checked = tf.where(tf.logicalOr(inRange, tf.logicalNot(valid)), losses, tf.add(zeros, NaN));
    // the rows that reach the loss: valid and in range (an out-of-range row's NaN is a constant)
    const rowGrad = tf.mul(w, tf.cast(inRange, 'float32'));
    (save as tf.GradSaveFunc)([tf.cast(hit, 'float32'), rowGrad]);
    return {
      value: checked,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [hitF, perRow] = saved as [tf.Tensor, tf.Tensor];
        // 0 - g, not -g: +0 off the targets, as PyTorch's scatter into zeros (a negated 0 would be -0)
        return tf.reshape(tf.sub(0, tf.mul(hitF, tf.reshape(tf.mul(dy, perRow), [m, 1]))), (lp as tf.Tensor).shape);
      },
    };
  });
  return { losses: picked(logProbs), weights: w, valid: validF };
}

export function reduceWeighted(losses: tf.Tensor, weights: tf.Tensor, reduction: Reduction, shape: number[]): tf.Tensor {
  if (reduction === 'none') return tf.reshape(losses, shape);
  if (reduction === 'sum') return tf.sum(losses);
  // all targets ignored gives 0/0 = NaN, as in PyTorch
  return tf.div(tf.sum(losses), tf.sum(weights));
}

/** nllLoss(logProbs, target): expects log-probabilities (e.g. from logSoftmax), int32 targets. */
export function nllLoss(logProbs: tf.Tensor, target: tf.Tensor, options: NllLossOptions = {}): tf.Tensor {
  const { weight, ignoreIndex = -100, reduction = 'mean', validate = true } = options;
  checkReduction(reduction, ['mean', 'sum', 'none'], 'nllLoss');
  requireFloat('nllLoss', 'input', logProbs);
  const c = checkClassTargets('nllLoss', logProbs, target, ignoreIndex, validate);
  checkWeight('nllLoss', weight, c);
  warnIfNotLogProbs(logProbs);
  return tf.tidy(() => {
    const { losses, weights } = pickedNll(logProbs, target, c, weight, ignoreIndex);
    return reduceWeighted(losses, weights, reduction, target.shape);
  });
}

function warnIfNotLogProbs(x: tf.Tensor): void {
  const sample = sampleRowsForCheck('nll-not-log-probs', x);
  if (!sample) return;
  const positive = sample.rows.some((r) => r.some((v) => v > 0));
  if (!positive) return;
  const probs = looksLikeProbabilities(sample.rows, false);
  const sumOne = probs && looksLikeProbabilities(sample.rows, true);
  const what = sumOne
    ? 'rows that look like softmax outputs'
    : probs
      ? 'values in [0, 1] that look like sigmoid outputs'
      : 'positive values';
  warnPitfall(
    'nll-not-log-probs',
    sample.site,
    `nllLoss got ${what}, but it expects log-probabilities (<= 0). Minimising -p is not a proper objective; ` +
      'apply logSoftmax to the logits (or use crossEntropy on the logits directly).',
  );
}

// only tensor computations (their checks are deferred inside a step): a compiled step may replay them
replayable(nllLoss);
