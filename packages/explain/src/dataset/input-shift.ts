import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { ExplainModelError } from '../errors';

interface Biased {
  weight: tf.Variable;
  bias: tf.Variable | null;
  padding?: unknown;
}

/**
 * Runs `fn` with a model that computes on x + shift what the original computes on x (Kindermans et al.
 * 2017's input-invariance setup): the first layer with parameters absorbs the shift in its bias,
 * b - shift * (sum of its weights over every input axis). Exact for a Linear or an unpadded convolution
 * (padding would feed zeros that are not shifted), so anything else is an `ExplainModelError`. The bias is
 * restored afterwards, also on error.
 */
export async function withInputShift<T>(model: Module, shift: number, fn: () => Promise<T> | T): Promise<T> {
  const first = model.namedModules().find(([, m]) => m.children().length === 0 && m.parameters().length > 0);
  const layer = first?.[1] as unknown as Biased | undefined;
  const name = first?.[0] ?? '(none)';
  if (!layer || !(layer.weight instanceof tf.Variable) || !(layer.bias instanceof tf.Variable)) {
    throw new ExplainModelError(`input invariance needs a first layer with a weight and a bias to absorb the shift; '${name}' has none`);
  }
  const pad = layer.padding;
  if (pad !== undefined && !(Array.isArray(pad) && pad.every((p) => p === 0))) {
    throw new ExplainModelError(
      `input invariance needs an unpadded first layer (padding feeds unshifted zeros); '${name}' has padding ${JSON.stringify(pad)}`,
    );
  }
  const saved = tf.clone(layer.bias);
  try {
    const w = layer.weight;
    tf.tidy(() => layer.bias!.assign(tf.sub(saved, tf.mul(shift, tf.sum(w, [...Array(w.rank - 1).keys()])))));
    return await fn();
  } finally {
    layer.bias.assign(saved);
    saved.dispose();
  }
}
