import * as tf from '@tensorflow/tfjs-core';

/** A batch transform on x. Runs inside tf.tidy (in the DataLoader), so intermediates are freed. */
export type Transform = (x: tf.Tensor) => tf.Tensor;

/** MNIST training-set pixel mean and std (of [0, 1] pixels), as used by the PyTorch MNIST example. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** (x - mean) / std, like torchvision's Normalize((0.1307,), (0.3081,)). */
export function normalize(mean: number = MNIST_MEAN, std: number = MNIST_STD): Transform {
  return (x) => tf.div(tf.sub(x, mean), std);
}

/** The same (x - mean) / std on pixels in memory, before they become a tensor (a DataLoader's x, one drawn digit). */
export function normalizePixels(pixels: ArrayLike<number>, mean: number = MNIST_MEAN, std: number = MNIST_STD): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = ((pixels[i] ?? 0) - mean) / std;
  return out;
}

/** Maps [0, 1] pixels linearly to [lo, hi] (e.g. scaleTo(-0.5, 1.5) for Montavon's coding, scaleTo(-1, 1) for tanh). */
export function scaleTo(lo: number, hi: number): Transform {
  return (x) => tf.add(tf.mul(x, hi - lo), lo);
}

/** Applies transforms left to right. */
export function compose(...transforms: Transform[]): Transform {
  return (x) => transforms.reduce((acc, t) => t(acc), x);
}
