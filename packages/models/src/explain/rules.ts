import * as tf from '@tensorflow/tfjs-core';

/** What a rule may read besides the layer's input and weight: the input domain of the first layer. */
export interface RuleContext {
  /** Lowest and highest value an input can take (zB's l and h). */
  low: number;
  high: number;
}

/**
 * One additive term of a rule's contribution z_ij = sign * input'(x)_i * weight'(w)_ij.
 * Rules are data in the zennit sense: how inputs and weights are modified; `propagate` applies them all.
 */
export interface RuleTerm {
  sign: 1 | -1;
  /** x -> x' (same shape as x). */
  input: (x: tf.Tensor2D, ctx: RuleContext) => tf.Tensor2D;
  /** w -> w' (PyTorch layout [out, in]). */
  weight: (w: tf.Tensor2D) => tf.Tensor2D;
}

export interface Rule {
  readonly name: string;
  readonly terms: readonly RuleTerm[];
  /** eps in z + eps * sign(z): keeps 0/0 finite without moving conservation in float32. */
  readonly stabilizer: number;
}

const identity = <T extends tf.Tensor>(t: T): T => t;
const positive = (t: tf.Tensor2D): tf.Tensor2D => tf.relu(t);
const negative = (t: tf.Tensor2D): tf.Tensor2D => tf.minimum(t, 0);
const DEFAULT_EPS = 1e-9;

/**
 * LRP-0 / proportional rule: R_i = sum_j x_i w_ij / sum_i' x_i' w_i'j R_j. With 0/1 weights this is
 * how sum-pooling hands relevance to its inputs, in proportion to their activations.
 */
export function zRule(stabilizer = DEFAULT_EPS): Rule {
  return { name: 'z', stabilizer, terms: [{ sign: 1, input: identity, weight: identity }] };
}

/**
 * z+ rule (Montavon et al. 2017, eq. for ReLU layers with bias <= 0): only positive contributions
 * count. For non-negative inputs (ReLU activations) this is x_i w_ij+; the extra x- w- term makes it
 * also non-negative and conservative on inputs of either sign (zennit's ZPlus). Biases are ignored.
 */
export function zPlusRule(stabilizer = DEFAULT_EPS): Rule {
  return {
    name: 'zPlus',
    stabilizer,
    terms: [
      { sign: 1, input: positive, weight: positive },
      { sign: 1, input: negative, weight: negative },
    ],
  };
}

/**
 * zB rule for a box-constrained input domain l <= x <= h:
 * z_ij = x_i w_ij - l_i w_ij+ - h_i w_ij-, every term >= 0 inside the box.
 */
export function zBRule(stabilizer = DEFAULT_EPS): Rule {
  return {
    name: 'zB',
    stabilizer,
    terms: [
      { sign: 1, input: identity, weight: identity },
      { sign: -1, input: (x, { low }) => tf.fill(x.shape, low) as tf.Tensor2D, weight: positive },
      { sign: -1, input: (x, { high }) => tf.fill(x.shape, high) as tf.Tensor2D, weight: negative },
    ],
  };
}

/** w^2 rule for an unbounded input domain: relevance follows squared weights, ignoring x. */
export function wSquareRule(stabilizer = DEFAULT_EPS): Rule {
  return {
    name: 'wSquare',
    stabilizer,
    terms: [{ sign: 1, input: (x) => tf.onesLike(x), weight: (w) => tf.square(w) }],
  };
}

export type InputRuleName = 'zB' | 'wSquare' | 'zPlus';

export function inputRule(name: InputRuleName): Rule {
  switch (name) {
    case 'zB':
      return zBRule();
    case 'wSquare':
      return wSquareRule();
    case 'zPlus':
      return zPlusRule();
  }
}
