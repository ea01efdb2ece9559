import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm1d, BatchNorm2d, Conv2d, Dropout, Dropout2d, Identity, Linear, type Module, withForwardHook } from '@logitlab/layers';
import { ExplainModelError } from './errors';
import type { Params } from './linear-maps';

/**
 * BatchNorm (eval) merged into an adjacent Linear / Conv2d, as zennit's canonizers do, so that LRP
 * sees one affine layer: `params` replaces the layer's weight and bias during the explanation and
 * each BatchNorm in `skip` becomes the identity. The model's own variables are never written, so
 * there is nothing to restore and a failure leaves the model as it was.
 */
export interface Canonization {
  readonly params: ReadonlyMap<Module, Params>;
  readonly skip: ReadonlySet<Module>;
  dispose(): void;
}

type BatchNorm = BatchNorm1d | BatchNorm2d;
const isBatchNorm = (m: Module): m is BatchNorm => m instanceof BatchNorm1d || m instanceof BatchNorm2d;
/** Modules that hand their input on unchanged in eval mode: BatchNorm may merge across them. */
const isPassThrough = (m: Module): boolean => m instanceof Dropout || m instanceof Dropout2d || m instanceof Identity;

interface Call {
  module: Module;
  input: number;
  output: number;
}

export function hasBatchNorm(model: Module): boolean {
  return model.namedModules().some(([, m]) => isBatchNorm(m));
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
        if (isPassThrough(module)) alias.set(y.id, root(input.id));
        else calls.push({ module, input: root(input.id), output: y.id });
        return y;
      },
      () => model.call(x),
    );
  });
  return calls;
}

/** BatchNorm in eval as y = a x + c per channel. */
function affineOf(bn: BatchNorm, name: string): { a: tf.Tensor1D; c: tf.Tensor1D } {
  const mean = bn.runningMean;
  const variance = bn.runningVar;
  if (!mean || !variance)
    throw new ExplainModelError(`cannot canonize BatchNorm '${name}': without running statistics it normalises by batch statistics`);
  return tf.tidy(() => {
    const inv = tf.rsqrt(tf.add(variance, bn.eps));
    const a = (bn.weight ? tf.mul(bn.weight, inv) : inv) as tf.Tensor1D;
    const c = tf.sub(bn.bias ?? tf.zerosLike(mean), tf.mul(mean, a)) as tf.Tensor1D;
    return { a, c };
  });
}

/** layer(x) followed by a x + c: scale the output channels. */
function mergeAfter(p: Params, a: tf.Tensor1D, c: tf.Tensor1D): Params {
  return tf.tidy(() => ({ weight: tf.mul(p.weight, a), bias: tf.add(tf.mul(p.bias ?? tf.zerosLike(a), a), c) }));
}

/** a x + c followed by layer: scale the input channels (exact for Linear and for an unpadded Conv2d). */
function mergeBefore(layer: Linear | Conv2d, p: Params, a: tf.Tensor1D, c: tf.Tensor1D): Params {
  return tf.tidy(() => {
    if (layer instanceof Linear) {
      const weight = tf.mul(p.weight, tf.reshape(a, [-1, 1]));
      const shift = tf.reshape(tf.matMul(tf.reshape(c, [1, -1]), p.weight as tf.Tensor2D), [-1]);
      return { weight, bias: p.bias ? tf.add(p.bias, shift) : shift };
    }
    const weight = tf.mul(p.weight, tf.reshape(a, [1, 1, -1, 1]));
    const shift = tf.sum(tf.mul(p.weight, tf.reshape(c, [1, 1, -1, 1])), [0, 1, 2]);
    return { weight, bias: p.bias ? tf.add(p.bias, shift) : shift };
  });
}

const unpadded = (m: Conv2d): boolean => m.padding !== 'same' && m.padding[0] === 0 && m.padding[1] === 0;

/** Plans the merges by tracing one forward pass on `x` (eval mode). */
export function canonize(model: Module, x: tf.Tensor, names: ReadonlyMap<Module, string>): Canonization {
  const calls = traceCalls(model, x);
  const params = new Map<Module, Params>();
  const skip = new Set<Module>();
  const current = (m: Linear | Conv2d): Params => params.get(m) ?? { weight: m.weight, bias: m.bias };
  const replace = (m: Module, p: Params): void => {
    const old = params.get(m);
    params.set(m, p);
    if (old) tf.dispose([old.weight, ...(old.bias ? [old.bias] : [])]);
  };
  try {
    for (const call of calls) {
      const bn = call.module;
      if (!isBatchNorm(bn) || skip.has(bn)) continue;
      const name = names.get(bn) ?? '';
      const before = calls.find((c) => c.output === call.input);
      const after = calls.find((c) => c.input === call.output);
      const { a, c } = affineOf(bn, name);
      try {
        const prev = before?.module;
        const next = after?.module;
        if (prev instanceof Linear || prev instanceof Conv2d) {
          replace(prev, mergeAfter(current(prev), a, c));
        } else if (next instanceof Linear || (next instanceof Conv2d && unpadded(next))) {
          replace(next, mergeBefore(next, current(next), a, c));
        } else {
          throw new ExplainModelError(
            `cannot canonize BatchNorm '${name}': it neither follows nor feeds a Linear or unpadded Conv2d directly`,
          );
        }
      } finally {
        tf.dispose([a, c]);
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
