import * as tf from '@tensorflow/tfjs-core';
import { replayable } from '@logitlab/core';
import { checkRange, requireFloat, requireSameShape, shapeStr } from './checks';
import { LossShapeError, LossValueError } from './errors';
import { checkReduction, reduce, type Reduction } from './reduce';

export interface BceWithLogitsOptions {
  /** Broadcastable per-element weight. */
  weight?: tf.Tensor;
  /** Weight of positive examples, broadcast over the last (class) axis, e.g. [C]. */
  posWeight?: tf.Tensor;
  reduction?: Reduction;
}

function checkBroadcast(fn: string, what: string, t: tf.Tensor | undefined, input: tf.Tensor): void {
  if (!t) return;
  requireFloat(fn, what, t);
  const ok = t.rank <= input.rank && t.shape.every((d, i) => d === 1 || d === input.shape[input.rank - t.rank + i]);
  if (!ok) throw new LossShapeError(`${fn}: ${what} ${shapeStr(t)} does not broadcast to input ${shapeStr(input)}`);
}

/**
 * Sigmoid + binary cross-entropy in one stable expression: (1 - t) x + l * softplus(-x) with
 * l = 1 + (posWeight - 1) t. The gradient is PyTorch's closed form (l * sigmoid(x) - posWeight * t),
 * exact for |x| up to 1e4 and at x = 0, where autodiff through |x| would be wrong.
 */
export function binaryCrossEntropyWithLogits(logits: tf.Tensor, target: tf.Tensor, options: BceWithLogitsOptions = {}): tf.Tensor {
  const { weight, posWeight, reduction = 'mean' } = options;
  const fn = 'binaryCrossEntropyWithLogits';
  checkReduction(reduction, ['mean', 'sum', 'none'], fn);
  requireFloat(fn, 'input (logits)', logits);
  requireFloat(fn, 'target', target);
  requireSameShape(fn, logits, target);
  checkBroadcast(fn, 'weight', weight, logits);
  checkBroadcast(fn, 'posWeight', posWeight, logits);
  return tf.tidy(() => {
    const perElement = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
      const lw = posWeight ? tf.add(1, tf.mul(tf.sub(posWeight, 1), target)) : tf.scalar(1);
      const softplusNeg = tf.add(tf.relu(tf.neg(x)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
      let value = tf.add(tf.mul(tf.sub(1, target), x), tf.mul(lw, softplusNeg));
      if (weight) value = tf.mul(value, weight);
      // saved tensors are kept alive by the engine until backprop, unlike closed-over intermediates
      save([x, target, lw, posWeight ?? tf.scalar(1), weight ?? tf.scalar(1)]);
      return {
        value,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sx, st, slw, spw, sw] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
          const g = tf.sub(tf.mul(slw, tf.sigmoid(sx)), tf.mul(spw, st));
          return tf.mul(tf.mul(g, sw), dy);
        },
      };
    })(logits);
    return reduce(perElement, reduction);
  });
}

export interface BceOptions {
  weight?: tf.Tensor;
  reduction?: Reduction;
  /** Check that inputs lie in [0, 1] (one small read-back per call), as PyTorch does. */
  validate?: boolean;
}

/**
 * Binary cross-entropy on probabilities with each log clamped at -100 (PyTorch), so p = 0 or 1 gives
 * a finite loss. Gradient as PyTorch's: w (p - t) / max(p (1 - p), 1e-12).
 */
export function binaryCrossEntropy(probs: tf.Tensor, target: tf.Tensor, options: BceOptions = {}): tf.Tensor {
  const { weight, reduction = 'mean', validate = true } = options;
  const fn = 'binaryCrossEntropy';
  checkReduction(reduction, ['mean', 'sum', 'none'], fn);
  requireFloat(fn, 'input (probabilities)', probs);
  requireFloat(fn, 'target', target);
  requireSameShape(fn, probs, target);
  checkBroadcast(fn, 'weight', weight, probs);
  if (validate && probs.size > 0) {
    // read with the losses inside fit's step (no host read there), else at once: see checkRange
    checkRange(
      tf.tidy(() => tf.stack([tf.min(probs), tf.max(probs)])),
      ([lo = 0, hi = 0]) =>
        lo >= 0 && hi <= 1
          ? undefined
          : new LossValueError(
              `${fn}: all elements of input should be between 0 and 1, got range [${lo}, ${hi}] (pass logits to binaryCrossEntropyWithLogits instead)`,
            ),
    );
  }
  return tf.tidy(() => {
    const perElement = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [p, save] = args as [tf.Tensor, tf.GradSaveFunc];
      const logP = tf.maximum(tf.log(p), -100);
      const log1mP = tf.maximum(tf.log(tf.sub(1, p)), -100);
      let value = tf.neg(tf.add(tf.mul(target, logP), tf.mul(tf.sub(1, target), log1mP)));
      if (weight) value = tf.mul(value, weight);
      save([p, target, weight ?? tf.scalar(1)]);
      return {
        value,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sp, st, sw] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
          const g = tf.div(tf.sub(sp, st), tf.maximum(tf.mul(tf.sub(1, sp), sp), 1e-12));
          return tf.mul(tf.mul(g, sw), dy);
        },
      };
    })(probs);
    return reduce(perElement, reduction);
  });
}

// only tensor computations (their checks are deferred inside a step): a compiled step may replay them
replayable(binaryCrossEntropyWithLogits);
replayable(binaryCrossEntropy);
