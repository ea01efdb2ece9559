import * as tf from '@tensorflow/tfjs-core';

/**
 * One additive term of a rule's contribution z_ij = sign * input'(x)_i * weight'(w)_ij (+ bias'(b)_j).
 * Rules are data in the zennit sense: how inputs, weights and biases are modified, and a stabiliser;
 * `propagate` applies every rule the same way. A term without `bias` ignores the layer's bias.
 */
export interface RuleTerm {
  readonly sign: 1 | -1;
  /** x -> x' (same shape as x). */
  readonly input: (x: tf.Tensor) => tf.Tensor;
  /** w -> w' (the layer's compute layout; ignored by layers without weights, such as sum-pools). */
  readonly weight: (w: tf.Tensor) => tf.Tensor;
  readonly bias?: (b: tf.Tensor) => tf.Tensor;
}

/** Terms normalised together: R_i += coefficient * sum_j sum_t sign_t x'_ti w'_tij R_j / stab(z_j), z_j = sum_t sign_t z_tj. */
export interface RuleGroup {
  readonly coefficient: number;
  readonly terms: readonly RuleTerm[];
}

export interface Rule {
  readonly name: string;
  readonly groups: readonly RuleGroup[];
  /** eps in z + eps * sign(z), sign(0) = +1. */
  readonly stabilizer: number;
}

const identity = (t: tf.Tensor): tf.Tensor => t;
const positive = (t: tf.Tensor): tf.Tensor => tf.relu(t);
const negative = (t: tf.Tensor): tf.Tensor => tf.minimum(t, 0);
/** Small enough not to move conservation in float32 (z+ and zB contributions are >= 0, so z = 0 only when all are). */
const TINY = 1e-9;

/** LRP-epsilon: z_j = b_j + sum_i x_i w_ij, R_i = sum_j x_i w_ij R_j / (z_j + epsilon sign(z_j)). */
export function epsilonRule(epsilon = 1e-6): Rule {
  return {
    name: `epsilon(${epsilon})`,
    stabilizer: epsilon,
    groups: [{ coefficient: 1, terms: [{ sign: 1, input: identity, weight: identity, bias: identity }] }],
  };
}

/** LRP-0 without bias: relevance in proportion to x_i w_ij. On a sum- or average-pool (no weights) this is x_i / sum(window). */
export function proportionalRule(): Rule {
  return { name: 'proportional', stabilizer: TINY, groups: [{ coefficient: 1, terms: [{ sign: 1, input: identity, weight: identity }] }] };
}

/** z+ (alpha 1, beta 0): only positive contributions (x w)+ = x+ w+ + x- w- count; biases ignored. */
export function zPlusRule(): Rule {
  return {
    name: 'zPlus',
    stabilizer: TINY,
    groups: [
      {
        coefficient: 1,
        terms: [
          { sign: 1, input: positive, weight: positive },
          { sign: 1, input: negative, weight: negative },
        ],
      },
    ],
  };
}

/** LRP-gamma: w -> w + gamma w+, b -> b + gamma b+ (favours positive contributions). */
export function gammaRule(gamma = 0.25): Rule {
  const lift = (t: tf.Tensor): tf.Tensor => tf.add(t, tf.mul(gamma, tf.relu(t)));
  return {
    name: `gamma(${gamma})`,
    stabilizer: 1e-6,
    groups: [{ coefficient: 1, terms: [{ sign: 1, input: identity, weight: lift, bias: lift }] }],
  };
}

/** zB for inputs in a box [low, high]: z_ij = x_i w_ij - low w+_ij - high w-_ij, every term >= 0 inside the box; biases ignored. */
export function zBoxRule(low: number, high: number): Rule {
  return {
    name: `zB(${low}, ${high})`,
    stabilizer: TINY,
    groups: [
      {
        coefficient: 1,
        terms: [
          { sign: 1, input: identity, weight: identity },
          { sign: -1, input: (x) => tf.fill(x.shape, low), weight: positive },
          { sign: -1, input: (x) => tf.fill(x.shape, high), weight: negative },
        ],
      },
    ],
  };
}

/** LRP-alpha-beta: positive and negative contributions normalised separately, R = alpha R+ - beta R- (alpha - beta = 1 conserves); biases ignored. */
export function alphaBetaRule(alpha = 2, beta = 1): Rule {
  return {
    name: `alpha${alpha}beta${beta}`,
    stabilizer: TINY,
    groups: [
      {
        coefficient: alpha,
        terms: [
          { sign: 1, input: positive, weight: positive },
          { sign: 1, input: negative, weight: negative },
        ],
      },
      {
        coefficient: -beta,
        terms: [
          { sign: 1, input: positive, weight: negative },
          { sign: 1, input: negative, weight: positive },
        ],
      },
    ],
  };
}

/** w^2 for an unbounded input domain: relevance follows squared weights, ignoring x. */
export function wSquareRule(): Rule {
  return {
    name: 'wSquare',
    stabilizer: TINY,
    groups: [{ coefficient: 1, terms: [{ sign: 1, input: (x) => tf.onesLike(x), weight: (w) => tf.square(w) }] }],
  };
}

const isFn = (f: unknown): boolean => typeof f === 'function';

/**
 * Why `rule` cannot be applied, or undefined when it can: a user's rule is checked when its composite is
 * (before anything is recorded), since a malformed one fails inside the backward pass, where tfjs gives
 * a raw error, and a rule without groups gives all-zero relevance without one.
 */
export function ruleProblem(rule: unknown): string | undefined {
  if (rule === null || typeof rule !== 'object') return `expected a Rule object, got ${rule === null ? 'null' : typeof rule}`;
  const r = rule as Partial<Rule>;
  if (typeof r.name !== 'string') return `name must be a string, got ${typeof r.name}`;
  if (typeof r.stabilizer !== 'number' || !Number.isFinite(r.stabilizer) || r.stabilizer < 0)
    return `stabilizer must be a finite number >= 0, got ${String(r.stabilizer)}`;
  if (!Array.isArray(r.groups) || r.groups.length === 0)
    return 'groups must be a non-empty array (a rule without groups passes no relevance at all)';
  for (const [g, group] of (r.groups as unknown[]).entries()) {
    const gr = group as Partial<RuleGroup> | null;
    if (gr === null || typeof gr !== 'object') return `groups[${g}] must be an object`;
    if (typeof gr.coefficient !== 'number' || !Number.isFinite(gr.coefficient))
      return `groups[${g}].coefficient must be a finite number, got ${String(gr.coefficient)}`;
    if (!Array.isArray(gr.terms) || gr.terms.length === 0) return `groups[${g}].terms must be a non-empty array`;
    for (const [t, term] of (gr.terms as unknown[]).entries()) {
      const tm = term as Partial<RuleTerm> | null;
      const at = `groups[${g}].terms[${t}]`;
      if (tm === null || typeof tm !== 'object') return `${at} must be an object`;
      if (tm.sign !== 1 && tm.sign !== -1) return `${at}.sign must be 1 or -1, got ${String(tm.sign)}`;
      if (!isFn(tm.input) || !isFn(tm.weight)) return `${at}.input and .weight must be functions of a tensor`;
      if (tm.bias !== undefined && !isFn(tm.bias)) return `${at}.bias must be a function of a tensor or absent`;
    }
  }
  return undefined;
}
