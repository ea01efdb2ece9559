/**
 * How each model wants its pixels. One place, because the page, the in-page trainer and
 * scripts/make-weights.mjs must agree (the script repeats these three constants).
 */
import { MNIST_MEAN, MNIST_STD } from '@logitlab/datasets';

/** Convnet input: torchvision's Normalize((0.1307,), (0.3081,)), as the seed trained it. */
export function codeForConvnet(pixels: Float32Array): Float32Array {
  return pixels.map((p) => (p - MNIST_MEAN) / MNIST_STD);
}

/** Montavon et al.'s coding of [0, 1] pixels, and the zB rule's bounds. */
export const EXPLAINER_RANGE: readonly [number, number] = [-0.5, 1.5];

/** The tanh-decoder autoencoders see and produce [-1, 1]. */
export const LATENT_RANGE: readonly [number, number] = [-1, 1];

/** The sigmoid-decoder VAE (recipe vae-mlp) sees and produces [0, 1] pixels, as PyTorch's VAE example. */
export const PIXEL_RANGE: readonly [number, number] = [0, 1];

/** The range a latent model of `kind` codes pixels in. */
export const latentRange = (kind: 'latent' | 'pixels'): readonly [number, number] => (kind === 'pixels' ? PIXEL_RANGE : LATENT_RANGE);
