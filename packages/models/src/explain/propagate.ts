import * as tf from '@tensorflow/tfjs-core';
import type { Rule, RuleContext } from './rules';

/**
 * The one propagation routine every rule goes through (explicit form of the "gradient trick"):
 *   z_j   = sum_t sign_t * (x'_t W'_t^T)_j            (the rule's modified pre-activations)
 *   s_j   = R_j / (z_j + eps * sign(z_j))
 *   R_i   = sum_t sign_t * x'_ti * (s W'_t)_i
 * For a dense layer with weight [out, in] (PyTorch layout), input x [N, in] and relevance [N, out]
 * it returns the relevance of the inputs, [N, in]. sum_i R_i = sum_j R_j whenever z_j != 0.
 */
export function propagate(rule: Rule, x: tf.Tensor2D, weight: tf.Tensor2D, relevance: tf.Tensor2D, ctx: RuleContext): tf.Tensor2D {
  return tf.tidy(() => {
    const terms = rule.terms.map((t) => ({ sign: t.sign, x: t.input(x, ctx), w: t.weight(weight) }));
    let z: tf.Tensor2D = tf.zeros([x.shape[0], weight.shape[0]]);
    for (const t of terms) z = tf.add(z, tf.mul(t.sign, tf.matMul(t.x, t.w, false, true)));
    // sign(0) counts as +1 so an all-zero column divides by +eps, not by 0
    const stabilized = tf.where(tf.greaterEqual(z, 0), tf.add(z, rule.stabilizer), tf.sub(z, rule.stabilizer));
    const s = tf.div(relevance, stabilized);
    let out: tf.Tensor2D = tf.zerosLike(x);
    for (const t of terms) out = tf.add(out, tf.mul(t.sign, tf.mul(t.x, tf.matMul(s, t.w))));
    return out;
  });
}
