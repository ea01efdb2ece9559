import * as tf from '@tensorflow/tfjs-core';
import { ReLU, Sigmoid, Tanh } from '@logitlab/layers';
import type { Canonization } from './canonize';
import { type Composite, ruleFor } from './composites';
import { ExplainModelError } from './errors';
import type { LayerHook } from './forward';
import { layerKind, type LinearMap, linearMap } from './linear-maps';
import { propagate } from './propagate';
import type { Rule } from './rules';

type Unary = (x: tf.Tensor) => tf.Tensor;

/** The first rule that failed during a backward pass (a user's rule may throw or return a wrong shape). */
export interface RuleFailure {
  error?: ExplainModelError;
}

/**
 * Propagates by `rule`; a failure is recorded in `failure` and the layer passes zeros instead, because
 * an exception inside tfjs's backward pass leaves the tape's tensors behind (27 a call). The caller
 * throws the recorded error once the pass is over (see `throwRuleFailure`).
 */
function guardedPropagate(rule: Rule, map: LinearMap, x: tf.Tensor, dy: tf.Tensor, name: string, failure: RuleFailure): tf.Tensor {
  let r: unknown;
  try {
    r = propagate(rule, map, x, dy);
  } catch (e) {
    failure.error ??= new ExplainModelError(`rule '${rule.name}' failed on layer '${name}': ${(e as Error)?.message ?? String(e)}`, {
      cause: e,
    });
    return tf.zerosLike(x);
  }
  const t = r as tf.Tensor;
  if (!(t instanceof tf.Tensor) || t.shape.length !== x.shape.length || t.shape.some((d, i) => d !== x.shape[i])) {
    failure.error ??= new ExplainModelError(
      `rule '${rule.name}' on layer '${name}' gave relevance of shape [${t instanceof tf.Tensor ? t.shape.join(', ') : typeof t}]; expected the layer input's [${x.shape.join(', ')}]`,
    );
    if (t instanceof tf.Tensor) t.dispose();
    return tf.zerosLike(x);
  }
  return t;
}

/** Throws the failure recorded during the pass, if any. */
export function throwRuleFailure(failure: RuleFailure): void {
  if (failure.error) throw failure.error;
}

/** value = forward(x); backward maps the relevance of the output (arriving as dy) to the input's by `rule`. */
function withRule(rule: Rule, map: LinearMap, forward: Unary, name: string, failure: RuleFailure): Unary {
  return tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: forward(x),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => guardedPropagate(rule, map, saved[0]!, dy, name, failure),
    };
  }) as never) as Unary;
}

/** value = forward(x); relevance passes unchanged (zennit's Pass rule for element-wise activations). */
function passThrough(forward: Unary): Unary {
  return tf.customGrad(((x: tf.Tensor) => ({ value: forward(x), gradFunc: (dy: tf.Tensor) => dy })) as never) as Unary;
}

/**
 * The LRP forward hook: every Linear, Conv2d and pooling layer is wrapped so that back-propagating
 * relevance through it applies its rule; one backward pass of the whole model then yields the input
 * relevance. BatchNorm layers canonised away act as the identity and their neighbour uses the merged
 * weights. A rule that fails is reported through `failure` after the pass (see `throwRuleFailure`).
 */
export function lrpHook(composite: Composite, canon: Canonization | null, failure: RuleFailure = {}): LayerHook {
  let firstSeen = false;
  return ({ module, name }, input, forward) => {
    if (canon?.skip.has(module)) return input;
    const kind = layerKind(module);
    if (kind === null) {
      if (module instanceof ReLU || module instanceof Tanh || module instanceof Sigmoid) return passThrough(forward)(input);
      if (module.numParameters() > 0) {
        throw new ExplainModelError(
          `no LRP rule for layer '${name}' (${module.constructor.name}); give one in composite.byName or composite.byType`,
        );
      }
      return forward(input);
    }
    const first = kind !== 'pool' && !firstSeen;
    if (kind !== 'pool') firstSeen = true;
    const rule = ruleFor(composite, module, name, first);
    if (rule === null)
      throw new ExplainModelError(
        `composite '${composite.name ?? 'custom'}' gives no rule for layer '${name}' (${module.constructor.name})`,
      );
    const merged = canon?.params.get(module);
    const map = linearMap(module, merged)!;
    const value: Unary = merged ? (x) => map.apply(x, map.weight, map.bias) : forward;
    return withRule(rule, map, value, name, failure)(input);
  };
}
