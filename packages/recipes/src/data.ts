import { DataLoader, normalizePixels } from '@logitlab/datasets';
import { RecipeError } from './errors';
import type { DataKind, RecipeData } from './types';

/** (v - mean) / std per pixel with MNIST's mean and std (the seed notebooks' Normalize), from datasets. */
export function normalised(images: Float32Array): Float32Array {
  return normalizePixels(images);
}

/** [0, 1] pixels to [-1, 1] (tanh decoders). */
export function tanhRange(images: Float32Array): Float32Array {
  return images.map((v) => v * 2 - 1);
}

export const SAMPLE_SHAPES: Record<DataKind, readonly number[]> = { digits: [28, 28, 1], pairs: [28 * 56], latent: [784], pixels: [784] };

export const PREPARE: Record<DataKind, (images: Float32Array) => Float32Array> = {
  digits: normalised,
  pairs: (images) => images,
  latent: tanhRange,
  pixels: (images) => images,
};

/** The training loader of a data kind: inputs prepared, targets as the loss wants them. */
export function loaderFor(
  kind: DataKind,
  data: RecipeData,
  { batchSize, seed, shuffle = true }: { batchSize: number; seed: number; shuffle?: boolean },
): DataLoader {
  const x = PREPARE[kind](data.images);
  const xShape = [...SAMPLE_SHAPES[kind]];
  if (kind === 'latent' || kind === 'pixels') return new DataLoader({ x, xShape, y: x, yShape: xShape }, { batchSize, shuffle, seed });
  if (!data.targets) throw new RecipeError(`a '${kind}' recipe needs targets (labels or regression targets) beside the images`);
  const y = kind === 'digits' ? Int32Array.from(data.targets) : Float32Array.from(data.targets);
  return new DataLoader(
    { x, xShape, y, yShape: kind === 'digits' ? [] : [1] },
    { batchSize, shuffle, seed, ...(kind === 'digits' ? { dropLast: false } : {}) },
  );
}
