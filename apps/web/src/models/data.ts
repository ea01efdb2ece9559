import { DataLoader, normalize, pairedDigits, scaleTo, syntheticDigits, type ImageSet } from '@logitlab/datasets';
import type { DataKind } from './recipes';
import { EXPLAINER_RANGE, latentRange } from './coding';

/**
 * Training data for the page: seeded synthetic digits (needs no download, ~30k images/s), and the
 * Montavon two-digit images built from them. Generated once, on first use.
 */
let digits: ImageSet | null = null;
export function trainingDigits(): ImageSet {
  digits ??= syntheticDigits({ count: 6000, seed: 7 });
  return digits;
}

/** Digits no page model trains on (another seed): what "held-out" means for in-page training. */
let heldOut: ImageSet | null = null;
export function heldOutDigits(): ImageSet {
  heldOut ??= syntheticDigits({ count: 512, seed: 90210 });
  return heldOut;
}

/** Digits the explainer detects; 4-9 are distractors (Montavon et al. 2017, sec. 4.C; pairedDigits' default). */
export const TARGET_DIGITS: readonly number[] = [0, 1, 2, 3];

export interface LoaderOptions {
  seed?: number;
  /** Shuffle and drop the last partial batch (training); off for evaluation. */
  train?: boolean;
  set?: ImageSet;
}

/** A loader for a model's data kind and coding (training: shuffled, endless by epochs). */
export function loaderFor(
  kind: DataKind,
  batchSize: number,
  { seed = 1, train = true, set = trainingDigits() }: LoaderOptions = {},
): DataLoader {
  const opts = { batchSize, shuffle: train, seed, dropLast: train };
  if (kind === 'pairs') {
    const pairs = pairedDigits(set, { count: train ? 6000 : set.count, seed, targetDigits: TARGET_DIGITS, range: EXPLAINER_RANGE });
    // one target per image as [1], the explainer's output shape (mseLoss refuses [B, 1] against [B])
    return new DataLoader({ x: pairs.images, xShape: [28, 56, 1], y: pairs.targets, yShape: [1] }, opts);
  }
  const latent = kind === 'latent' || kind === 'pixels';
  const transform = latent ? scaleTo(...latentRange(kind)) : normalize();
  const xShape = latent ? [784] : [28, 28, 1];
  return new DataLoader({ x: set.images, xShape, y: set.labels, yShape: [] }, { ...opts, transform });
}
