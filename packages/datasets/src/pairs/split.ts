import { DatasetInputError } from '../errors';
import type { ImageSet } from '../image-set';
import { Rng } from '@logitlab/core';

/** The images at `indices`, copied, in that order. */
export function subsetImageSet(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.height * set.width;
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i] as number;
    if (!Number.isInteger(s) || s < 0 || s >= set.count)
      throw new DatasetInputError(`subsetImageSet: index ${s} is outside 0..${set.count - 1}`);
    images.set(set.images.subarray(s * size, (s + 1) * size), i * size);
    labels[i] = set.labels[s] as number;
  }
  return { images, labels, count: indices.length, height: set.height, width: set.width };
}

/**
 * Splits a set into two disjoint random parts: round(fraction * count) images, then the rest.
 * Build train pairs from the first and test pairs from the second, and no source digit is ever in both.
 */
export function splitImageSet(set: ImageSet, fraction: number, seed = 0): [ImageSet, ImageSet] {
  if (!(fraction >= 0 && fraction <= 1)) throw new DatasetInputError(`splitImageSet: fraction must be in [0, 1], got ${fraction}`);
  const order = new Int32Array(set.count);
  for (let i = 0; i < set.count; i++) order[i] = i;
  new Rng(seed).shuffle(order);
  const k = Math.round(fraction * set.count);
  return [subsetImageSet(set, order.subarray(0, k)), subsetImageSet(set, order.subarray(k))];
}
