import * as tf from '@tensorflow/tfjs-core';
import type { LinearMap } from './linear-maps';
import type { Rule } from './rules';

/** z + eps * sign(z) with sign(0) = +1, so an all-zero z divides by +eps rather than by 0. */
function stabilize(z: tf.Tensor, eps: number): tf.Tensor {
  return tf.where(tf.greaterEqual(z, 0), tf.add(z, eps), tf.sub(z, eps));
}

/**
 * The one propagation routine every rule goes through (the explicit form of the "gradient trick"):
 *   z_g   = sum_t sign_t * apply(x'_t, w'_t, b'_t)                  per group g of the rule
 *   R_in  = sum_g coefficient_g * sum_t sign_t * x'_t * transpose(R / stab(z_g), w'_t)
 * sum(R_in) = sum(R) whenever no z_g is 0 and no bias takes a share (the rule's terms carry no bias).
 */
export function propagate(rule: Rule, layer: LinearMap, x: tf.Tensor, relevance: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let out: tf.Tensor | null = null;
    for (const group of rule.groups) {
      const terms = group.terms.map((t) => ({
        sign: t.sign,
        x: t.input(x),
        w: layer.weight ? t.weight(layer.weight) : null,
        b: layer.bias && t.bias ? t.bias(layer.bias) : null,
      }));
      let z: tf.Tensor | null = null;
      for (const t of terms) {
        const zt = layer.apply(t.x, t.w, t.b);
        z = z === null ? (t.sign > 0 ? zt : tf.neg(zt)) : t.sign > 0 ? tf.add(z, zt) : tf.sub(z, zt);
      }
      const s = tf.div(relevance, stabilize(z!, rule.stabilizer));
      for (const t of terms) {
        const r = tf.mul(t.sign * group.coefficient, tf.mul(t.x, layer.transpose(s, t.w, x.shape)));
        out = out === null ? r : tf.add(out, r);
      }
    }
    return out ?? tf.zerosLike(x);
  });
}
