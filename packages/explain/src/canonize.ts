import * as tf from '@tensorflow/tfjs-core';
import { type Module, withForwardHook } from '@logitlab/layers';
import { ExplainModelError } from './errors';
import { lrpSpecOf } from './lrp-registry';
import type { ChannelAffine, LayerFamily, Params } from './lrp-spec';

/**
 * BatchNorm (eval) merged into an adjacent Linear / Conv2d, as zennit's canonizers do, so that LRP
 * sees one affine layer: `params` replaces the layer's weight and bias during the explanation and
 * each BatchNorm in `skip` becomes the identity. The model's own variables are never written, so
 * there is nothing to restore and a failure leaves the model as it was.
 *
 * Which layers are which comes from the LRP registry, not from class checks, so a layer from outside
 * the repo takes part by registering: a `normalisation` spec is merged away, a `linearMap` of family
 * 'dense' or 'conv' is merged into (its family gives the weight layout), and a `followGradient` spec
 * with `identityInEval` (Dropout, Identity) may sit between the two.
 */
export interface Canonization {
  readonly params: ReadonlyMap<Module, Params>;
  readonly skip: ReadonlySet<Module>;
  dispose(): void;
}

type Normalisation = (layer: Module) => ChannelAffine | null;

function normalisationOf(m: Module): Normalisation | null {
  const spec = lrpSpecOf(m);
  return spec && 'normalisation' in spec ? spec.normalisation : null;
}

/** Modules that hand their input on unchanged in eval mode: BatchNorm may merge across them. */
function isEvalIdentity(m: Module): boolean {
  const spec = lrpSpecOf(m);
  return spec !== undefined && 'followGradient' in spec && spec.identityInEval === true;
}

/** A neighbour a normalisation can merge into: a registered dense / conv linear map with weights. */
function mergeTarget(m: Module | undefined): { module: Module; family: LayerFamily; own: Params } | null {
  const spec = m && lrpSpecOf(m);
  if (!m || !spec || !('linearMap' in spec) || spec.family === 'pool') return null;
  const map = spec.linearMap(m);
  return map.weight ? { module: m, family: spec.family, own: { weight: map.weight, bias: map.bias } } : null;
}

interface Call {
  module: Module;
  input: number;
  output: number;
}

export function hasBatchNorm(model: Module): boolean {
  return model.namedModules().some(([, m]) => normalisationOf(m) !== null);
}

/** Records the leaf calls of one forward pass (tensor ids in, out; pass-through modules alias their output to their input). */
function traceCalls(model: Module, x: tf.Tensor): Call[] {
  const calls: Call[] = [];
  const alias = new Map<number, number>();
  const root = (id: number): number => alias.get(id) ?? id;
  tf.tidy(() => {
    withForwardHook(
      (module, input, forward) => {
        const y = forward(input);
        if (module.children().length > 0) return y;
        if (isEvalIdentity(module)) alias.set(y.id, root(input.id));
        else calls.push({ module, input: root(input.id), output: y.id });
        return y;
      },
      () => model.call(x),
    );
  });
  return calls;
}

/** layer(x) followed by a x + c: scale the output channels (the last weight axis in both layouts). */
function mergeAfter(p: Params, { scale: a, shift: c }: ChannelAffine): Params {
  return tf.tidy(() => ({ weight: tf.mul(p.weight, a), bias: tf.add(tf.mul(p.bias ?? tf.zerosLike(a), a), c) }));
}

/** a x + c followed by layer: scale the input channels (exact for a dense layer and for an unpadded conv). */
function mergeBefore(family: LayerFamily, p: Params, { scale: a, shift: c }: ChannelAffine): Params {
  return tf.tidy(() => {
    if (family === 'dense') {
      const weight = tf.mul(p.weight, tf.reshape(a, [-1, 1]));
      const shift = tf.reshape(tf.matMul(tf.reshape(c, [1, -1]), p.weight as tf.Tensor2D), [-1]);
      return { weight, bias: p.bias ? tf.add(p.bias, shift) : shift };
    }
    const weight = tf.mul(p.weight, tf.reshape(a, [1, 1, -1, 1]));
    const shift = tf.sum(tf.mul(p.weight, tf.reshape(c, [1, 1, -1, 1])), [0, 1, 2]);
    return { weight, bias: p.bias ? tf.add(p.bias, shift) : shift };
  });
}

/**
 * A shift before a padded convolution would also reach the padded border, where the merged bias
 * does not: only a conv that declares zero `padding` (Conv2d's [ph, pw]) is merged into from before.
 */
function unpadded(m: Module): boolean {
  const padding = (m as { padding?: unknown }).padding;
  return Array.isArray(padding) && padding.every((p) => p === 0);
}

/** Plans the merges by tracing one forward pass on `x` (eval mode). */
export function canonize(model: Module, x: tf.Tensor, names: ReadonlyMap<Module, string>): Canonization {
  const calls = traceCalls(model, x);
  const params = new Map<Module, Params>();
  const skip = new Set<Module>();
  const replace = (m: Module, p: Params): void => {
    const old = params.get(m);
    params.set(m, p);
    if (old) tf.dispose([old.weight, ...(old.bias ? [old.bias] : [])]);
  };
  try {
    for (const call of calls) {
      const bn = call.module;
      const normalise = normalisationOf(bn);
      if (!normalise || skip.has(bn)) continue;
      const name = names.get(bn) ?? '';
      const prev = mergeTarget(calls.find((c) => c.output === call.input)?.module);
      const next = mergeTarget(calls.find((c) => c.input === call.output)?.module);
      const affine = normalise(bn);
      if (!affine)
        throw new ExplainModelError(
          `cannot canonize ${bn.typeName} '${name}': without running statistics it normalises by batch statistics`,
        );
      try {
        if (prev) {
          replace(prev.module, mergeAfter(params.get(prev.module) ?? prev.own, affine));
        } else if (next && (next.family === 'dense' || unpadded(next.module))) {
          replace(next.module, mergeBefore(next.family, params.get(next.module) ?? next.own, affine));
        } else {
          throw new ExplainModelError(
            `cannot canonize ${bn.typeName} '${name}': it neither follows nor feeds a Linear or unpadded Conv2d directly`,
          );
        }
      } finally {
        tf.dispose([affine.scale, affine.shift]);
      }
      skip.add(bn);
    }
  } catch (e) {
    for (const p of params.values()) tf.dispose([p.weight, ...(p.bias ? [p.bias] : [])]);
    throw e;
  }
  return {
    params,
    skip,
    dispose: () => {
      for (const p of params.values()) tf.dispose([p.weight, ...(p.bias ? [p.bias] : [])]);
    },
  };
}
