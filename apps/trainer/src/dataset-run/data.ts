import { DataNotFoundError, type ImageSet, loadMnist, syntheticDigits } from '@logitlab/datasets';
import { sliceSet } from '../data';
import { UsageError } from '../errors';
import type { DataSpec } from '../options';

export type Split = 'train' | 'test';

/** Synthetic digits stand in for MNIST's splits, with MNIST's sizes, drawn only as far as --limit needs. */
const SYNTHETIC_SIZE: Record<Split, number> = { train: 60_000, test: 10_000 };

/**
 * The images of one split, the first `limit` of them: synthetic digits (the run's seed, as the
 * training data), a directory of IDX files, or a cached MNIST variant. A --limit beyond the split is
 * an error, not a silent shorter run.
 */
export async function loadSplit(
  spec: DataSpec,
  split: Split,
  limit: number | undefined,
  seed: number,
): Promise<{ set: ImageSet; source: string }> {
  let set: ImageSet;
  let source: string;
  let size: number;
  if (spec.kind === 'synthetic') {
    size = SYNTHETIC_SIZE[split];
    checkLimit(limit, size, `the synthetic ${split} split`);
    set = syntheticDigits({ count: limit ?? size, seed: seed * 1000 + (split === 'train' ? 1 : 2) });
    source = `synthetic digits, ${split} split (seed ${seed})`;
  } else {
    const variant = spec.kind === 'mnist' ? spec.variant : 'mnist';
    const root = spec.kind === 'dir' ? spec.dir : undefined;
    try {
      set = await loadMnist({ variant, split, root, download: false });
    } catch (err) {
      if (err instanceof DataNotFoundError) {
        throw new UsageError(
          `--data: no ${variant} ${split} split ${root ? `in ${root}` : 'in the cache'} (${err.message}); pass --data <dir> or --data synthetic`,
          1,
        );
      }
      throw err;
    }
    size = set.count;
    source = `${variant} ${split} split${root ? ` from ${root}` : ''}`;
    checkLimit(limit, size, source);
  }
  if (limit !== undefined) set = sliceSet(set, 0, limit);
  return { set, source: `${source} (${set.count} of ${size} images)` };
}

function checkLimit(limit: number | undefined, size: number, what: string): void {
  if (limit !== undefined && limit > size)
    throw new UsageError(`--limit ${limit} is larger than the ${size} images of ${what}; use at most ${size}`);
}
