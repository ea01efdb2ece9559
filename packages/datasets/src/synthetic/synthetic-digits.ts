import { DatasetInputError } from '../errors';
import type { ImageSet } from '../image-set';
import { Rng } from '@logitlab/core';
import { GLYPHS } from './glyphs';
import { makeScratch, renderGlyph, SIZE } from './render';

/** Most images one call renders: 200,000 x 28 x 28 float32 is 627 MB, three times MNIST's 70,000 (a larger set is a typo or needs streaming). */
export const MAX_SYNTHETIC_DIGITS = 200_000;

export interface SyntheticDigitsOptions {
  /** Number of images, at most MAX_SYNTHETIC_DIGITS. */
  count: number;
  /** Same seed, same images (and the first k images do not depend on count). Default 0. */
  seed?: number;
}

/**
 * Seeded MNIST-like digits: stroke glyphs with several styles per digit, random affine jitter,
 * stroke width, blur and noise, 28x28, white on black in [0, 1], centred in a ~20x20 box.
 * Labels are balanced (each digit count/10 times, +-1) in a seeded random order. Needs no files.
 */
export function syntheticDigits(options: SyntheticDigitsOptions): ImageSet {
  const { count, seed = 0 } = options;
  if (!Number.isInteger(count) || count < 0) {
    throw new DatasetInputError(`syntheticDigits: count must be a non-negative integer, got ${count}`);
  }
  // 1e9 images failed with a raw RangeError from the Float32Array (or exhausted memory just below the limit)
  if (count > MAX_SYNTHETIC_DIGITS)
    throw new DatasetInputError(
      `syntheticDigits: count ${count} is above the cap of ${MAX_SYNTHETIC_DIGITS} images (${SIZE} x ${SIZE} float32 each)`,
    );
  if (!Number.isFinite(seed)) throw new DatasetInputError(`syntheticDigits: seed must be a finite number, got ${seed}`);
  const images = new Float32Array(count * SIZE * SIZE);
  const labels = new Int32Array(count);
  const rng = new Rng(seed);
  const scratch = makeScratch();
  // balanced labels: blocks of 0..9 in random order, so any prefix is balanced too
  const block = new Int32Array(10);
  for (let i = 0; i < count; i++) {
    if (i % 10 === 0) {
      for (let d = 0; d < 10; d++) block[d] = d;
      rng.shuffle(block);
    }
    const label = block[i % 10] as number;
    labels[i] = label;
    const styles = GLYPHS[label] as (typeof GLYPHS)[number];
    const glyph = styles[rng.int(styles.length)] as (typeof styles)[number];
    renderGlyph(glyph, rng, images, i * SIZE * SIZE, scratch);
  }
  return { images, labels, count, height: SIZE, width: SIZE };
}
