import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import type { ImportContext } from '../context';
import type { Const } from '../fold/value';
import { layerOf } from '../names';

/**
 * Where a layer built from initializers goes: the path their names share ('layer1.0.conv1' for
 * 'layer1.0.conv1.weight' and '.bias'), else the node's scope, with each initializer whose name then
 * differs from its state-dict key listed in the report.
 */
export function placeWithParams<M extends Module>(ctx: ImportContext, layer: M, params: Record<string, Const | null>): M {
  const entries = Object.entries(params).filter((e): e is [string, Const] => e[1] !== null);
  const paths = entries.map(([p, c]) => layerOf(c.source, p));
  const first = paths[0];
  const shared = first && paths.every((p) => p === first) ? first : null;
  const placed = ctx.layer(layer, shared);
  const path = layerPath(ctx, placed);
  for (const [p, c] of entries) {
    const key = `${path}.${p}`;
    if (c.source !== key) ctx.report().renamed.push({ initializer: c.source ?? `(computed by ${ctx.where})`, key });
  }
  return placed;
}

function layerPath(ctx: ImportContext, layer: Module): string {
  // the tree knows where it put the layer; namedModules of the root finds it once per layer (graphs are small)
  return ctx.pathOf(layer);
}

/** Loads PyTorch-layout values into a layer's own parameters and buffers (checked by loadStateDict). */
export function loadInto(layer: Module, values: Record<string, Const | null>): void {
  const dict: Record<string, tf.Tensor> = {};
  for (const [k, c] of Object.entries(values)) {
    if (c) dict[k] = tf.tensor(c.dtype === 'float32' ? c.data : Float32Array.from(c.data), [...c.dims], 'float32');
  }
  try {
    layer.loadStateDict(dict, { strict: false });
  } finally {
    tf.dispose(Object.values(dict));
  }
}
