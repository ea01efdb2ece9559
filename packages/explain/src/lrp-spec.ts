import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';

/**
 * A layer seen as the linear map LRP needs: z = apply(x, w, b) and its transpose (the input
 * gradient of apply for fixed w). Rules change x, w and b; `propagate` runs apply and transpose on
 * the changed values. Layers without weights (sum- and average-pools) ignore w and b.
 */
export interface LinearMap {
  readonly weight: tf.Tensor | null;
  readonly bias: tf.Tensor | null;
  apply(x: tf.Tensor, weight: tf.Tensor | null, bias: tf.Tensor | null): tf.Tensor;
  transpose(s: tf.Tensor, weight: tf.Tensor | null, inputShape: readonly number[]): tf.Tensor;
}

/** Effective parameters that replace a layer's own (BatchNorm canonisation). */
export interface Params {
  weight: tf.Tensor;
  bias: tf.Tensor | null;
}

/**
 * Which composite rule a linear layer gets (`Composite.dense` / `conv` / `pool`). Canonisation also
 * reads the weight layout from it: 'dense' weights are [in, out], 'conv' weights [kh, kw, in, out].
 */
export type LayerFamily = 'dense' | 'conv' | 'pool';

/** An eval-mode normalisation as y = scale * x + shift per channel (the last axis); the caller disposes both. */
export interface ChannelAffine {
  scale: tf.Tensor1D;
  shift: tf.Tensor1D;
}

/**
 * How LRP sees one layer class (zennit's layer families, open to any layer):
 * - `linearMap`: the layer is a linear map; its family picks the composite's rule.
 * - `passThrough`: relevance passes unchanged (zennit's Pass: element-wise activations).
 * - `followGradient`: relevance follows the layer's own gradient (reshapes, Flatten, eval-mode
 *   Dropout, max-pool's winner-take-all, classification heads). `identityInEval` says the layer hands
 *   its input on unchanged in eval mode, so a BatchNorm may be merged across it.
 * - `normalisation`: a BatchNorm-like layer that canonisation merges into its Linear / Conv neighbour;
 *   it returns null where it cannot be written as a fixed affine map (no running statistics).
 * `head` (on passThrough and followGradient) marks a classification head (softmax, log-softmax,
 * sigmoid): explain's `output: 'auto'` never starts attribution at its output.
 */
export type LrpLayerSpec<L extends Module> =
  | { readonly linearMap: (layer: L, params?: Params) => LinearMap; readonly family: LayerFamily }
  | { readonly passThrough: true; readonly head?: boolean }
  | { readonly followGradient: true; readonly identityInEval?: boolean; readonly head?: boolean }
  | { readonly normalisation: (layer: L) => ChannelAffine | null };
