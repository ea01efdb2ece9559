import { DatasetInputError } from '../errors';
import type { ImageSet } from '../image-set';
import { Rng } from '@logitlab/core';

export interface PairedDigitsOptions {
  count: number;
  seed?: number;
  /**
   * 'target-and-distractor' (default, Montavon et al. 2017 sec. 4.C): a positive holds exactly one target
   * digit and one distractor on a random side. 'any-target': a positive holds at least one target digit.
   * Negatives always hold two distractors. Half the pairs are positive (alternating, then shuffled).
   */
  positives?: 'target-and-distractor' | 'any-target';
  /** Default [0, 1, 2, 3]; every other digit is a distractor. */
  targetDigits?: readonly number[];
  /** Pixel coding [black, white]. Default [-0.5, 1.5]. */
  range?: readonly [number, number];
  /** Regression targets [positive, negative]. Default [100, 0]. */
  targetValues?: readonly [number, number];
  /** A source pixel above this counts as its digit's stroke in the masks. Default 0.5. */
  maskThreshold?: number;
}

/** Two-digit images, 28 x 56, digits side by side. */
export interface PairedSet {
  /** count * 28 * 56, coded in `range`. */
  images: Float32Array;
  /** count regression targets (targetValues[0] for positives, [1] for negatives). */
  targets: Float32Array;
  /** count * 28 * 56: 0 background, 1 + digit class on that digit's stroke pixels. */
  masks: Int32Array;
  /** count * 10: 1 for each digit present. */
  multiHot: Float32Array;
  /** count * 2: left digit, right digit. */
  digits: Int32Array;
  /** count: 1 for positives, 0 for negatives. */
  positive: Int32Array;
  count: number;
  height: 28;
  width: 56;
}

/**
 * Montavon-style two-digit images from any 28x28 ImageSet (synthetic or an MNIST split). To keep train
 * and test pairs from sharing a source digit, build them from the two halves of splitImageSet.
 */
export function pairedDigits(source: ImageSet, options: PairedDigitsOptions): PairedSet {
  const {
    count,
    seed = 0,
    positives = 'target-and-distractor',
    targetDigits = [0, 1, 2, 3],
    range = [-0.5, 1.5],
    targetValues = [100, 0],
    maskThreshold = 0.5,
  } = options;
  if (source.height !== 28 || source.width !== 28) {
    throw new DatasetInputError(`pairedDigits: source images must be 28x28, got ${source.height}x${source.width}`);
  }
  if (!Number.isInteger(count) || count < 0)
    throw new DatasetInputError(`pairedDigits: count must be a non-negative integer, got ${count}`);
  if (positives !== 'target-and-distractor' && positives !== 'any-target') {
    throw new DatasetInputError(`pairedDigits: positives must be 'target-and-distractor' or 'any-target', got ${String(positives)}`);
  }
  const targets = new Set(targetDigits);
  if ([...targets].some((d) => !Number.isInteger(d) || d < 0 || d > 9) || targets.size === 0 || targets.size === 10) {
    throw new DatasetInputError(`pairedDigits: targetDigits must be a non-empty proper subset of 0..9, got [${targetDigits.join(', ')}]`);
  }
  const byLabel: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < source.count; i++) {
    const l = source.labels[i] as number;
    if (!Number.isInteger(l) || l < 0 || l > 9)
      throw new DatasetInputError(`pairedDigits: source label ${l} at index ${i} is not a digit 0..9`);
    (byLabel[l] as number[]).push(i);
  }
  const targetList = [...targets].filter((d) => (byLabel[d] as number[]).length > 0);
  const distractors = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => !targets.has(d) && (byLabel[d] as number[]).length > 0);
  if (count > 0 && (targetList.length === 0 || distractors.length === 0)) {
    throw new DatasetInputError(
      `pairedDigits: source needs at least one target digit (${[...targets].join(', ')}) and one distractor image`,
    );
  }
  const anyDigits = [...targetList, ...distractors];

  const rng = new Rng(seed);
  const isPositive = new Int32Array(count);
  for (let i = 0; i < count; i++) isPositive[i] = i % 2 === 0 ? 1 : 0;
  rng.shuffle(isPositive);

  const [lo, hi] = range;
  const H = 28;
  const W = 56;
  const images = new Float32Array(count * H * W);
  const masks = new Int32Array(count * H * W);
  const multiHot = new Float32Array(count * 10);
  const digits = new Int32Array(count * 2);
  const out = new Float32Array(count);
  const pick = (list: number[]) => list[rng.int(list.length)] as number;

  for (let i = 0; i < count; i++) {
    let left: number;
    let right: number;
    if (isPositive[i]) {
      if (positives === 'target-and-distractor') {
        const t = pick(targetList);
        const d = pick(distractors);
        [left, right] = rng.next() < 0.5 ? [t, d] : [d, t];
      } else {
        do {
          left = pick(anyDigits);
          right = pick(anyDigits);
        } while (!targets.has(left) && !targets.has(right));
      }
    } else {
      left = pick(distractors);
      right = pick(distractors);
    }
    digits[2 * i] = left;
    digits[2 * i + 1] = right;
    multiHot[i * 10 + left] = 1;
    multiHot[i * 10 + right] = 1;
    out[i] = isPositive[i] ? targetValues[0] : targetValues[1];
    for (const [side, digit] of [
      [0, left],
      [1, right],
    ] as const) {
      const src = pick(byLabel[digit] as number[]) * 784;
      for (let r = 0; r < H; r++) {
        const dst = i * H * W + r * W + side * 28;
        for (let c = 0; c < 28; c++) {
          const v = source.images[src + r * 28 + c] as number;
          images[dst + c] = lo + (hi - lo) * v;
          if (v > maskThreshold) masks[dst + c] = 1 + digit;
        }
      }
    }
  }
  return { images, targets: out, masks, multiHot, digits, positive: isPositive, count, height: 28, width: 56 };
}
