import * as tf from '@tensorflow/tfjs-core';
import type { Canonization } from './canonize';
import { type Composite, ruleFor } from './composites';
import { ExplainModelError } from './errors';
import type { LayerHook } from './forward';
import { requireLrpSpec } from './lrp-registry';
import type { LinearMap } from './lrp-spec';
import { propagate } from './propagate';
import type { Rule } from './rules';

type Unary = (x: tf.Tensor) => tf.Tensor;

/** value = forward(x); backward maps the relevance of the output (arriving as dy) to the input's by `rule`. */
function withRule(rule: Rule, map: LinearMap, forward: Unary): Unary {
  return tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return { value: forward(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => propagate(rule, map, saved[0]!, dy) };
  }) as never) as Unary;
}

/** value = forward(x); relevance passes unchanged (zennit's Pass rule for element-wise activations). */
function passThrough(forward: Unary): Unary {
  return tf.customGrad(((x: tf.Tensor) => ({ value: forward(x), gradFunc: (dy: tf.Tensor) => dy })) as never) as Unary;
}

/**
 * The LRP forward hook: every layer is handled as its registered spec says (`registerLrpLayer`):
 * linear maps are wrapped so that back-propagating relevance through them applies their rule,
 * activations pass relevance through, the rest follow their own gradient; one backward pass of the
 * whole model then yields the input relevance. BatchNorm layers canonised away act as the identity
 * and their neighbour uses the merged weights. An unregistered layer is refused by name (checkComposite
 * refuses it before the tape records; this is the guard for modules created during the forward).
 */
export function lrpHook(composite: Composite, canon: Canonization | null): LayerHook {
  let firstSeen = false;
  return ({ module, name }, input, forward) => {
    if (canon?.skip.has(module)) return input;
    const spec = requireLrpSpec(module, name);
    if ('passThrough' in spec) return passThrough(forward)(input);
    if ('followGradient' in spec) return forward(input);
    if ('normalisation' in spec) {
      throw new ExplainModelError(`layer '${name}' (${module.typeName}) is a normalisation that was not canonised`);
    }
    const first = spec.family !== 'pool' && !firstSeen;
    if (spec.family !== 'pool') firstSeen = true;
    const rule = ruleFor(composite, module, name, first);
    if (rule === null)
      throw new ExplainModelError(`composite '${composite.name ?? 'custom'}' gives no rule for layer '${name}' (${module.typeName})`);
    const merged = canon?.params.get(module);
    const map = spec.linearMap(module, merged);
    const value: Unary = merged ? (x) => map.apply(x, map.weight, map.bias) : forward;
    return withRule(rule, map, value)(input);
  };
}
