import {
  DataLoader,
  DataNotFoundError,
  DownloadError,
  type ImageSet,
  defaultDataDir,
  loadMnist,
  normalizePixels,
  syntheticDigits,
} from '@logitlab/datasets';
import { UsageError } from './errors';
import { isPseudoFsPath } from './out-path';
import type { ExperimentContext } from './context';
import type { MnistVariant } from './options';

export interface DigitData {
  train: ImageSet;
  test: ImageSet;
  /** Human description for logs and reports, e.g. "synthetic digits (seed 1)". */
  source: string;
  real: boolean;
}

/** A contiguous slice of an image set (copies, so the source can be dropped). */
export function sliceSet(set: ImageSet, start: number, count: number): ImageSet {
  const n = Math.max(0, Math.min(count, set.count - start));
  const px = set.height * set.width;
  return {
    images: set.images.slice(start * px, (start + n) * px),
    labels: set.labels.slice(start, start + n),
    count: n,
    height: set.height,
    width: set.width,
  };
}

function synthetic(seed: number, trainCount: number, testCount: number): DigitData {
  return {
    train: syntheticDigits({ count: trainCount, seed: seed * 1000 + 1 }),
    test: syntheticDigits({ count: testCount, seed: seed * 1000 + 2 }),
    source: `synthetic digits (seed ${seed})`,
    real: false,
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * A failed --download in one line: which file, how many mirrors and attempts, the distinct reasons
 * (not every attempt's URL and error, which repeat), and what to do instead.
 */
export function summariseDownloadError(err: DownloadError, variant: MnistVariant, dir: string): UsageError {
  const hosts = [...new Set(err.attempts.map((a) => hostOf(a.url)))];
  // the same failure at each mirror differs only by its host name: say it once
  const reasons = [
    ...new Set(
      err.attempts.map((a) =>
        a.error
          .replaceAll(hostOf(a.url), '<mirror>')
          .replace(/\s*\n\s*/g, ' ')
          .slice(0, 120),
      ),
    ),
  ];
  const shown = reasons.slice(0, 2).join('; ') + (reasons.length > 2 ? `; and ${reasons.length - 2} other reason(s)` : '');
  return new UsageError(
    `--download: could not download ${err.file} (${err.attempts.length} attempt(s) at ${hosts.length} mirror(s): ${hosts.join(', ')}): ${shown}. ` +
      `Without network use --data synthetic, or put the four ${variant} IDX files (*-ubyte.gz) in ${dir} or in any folder passed as --data <dir>`,
    1,
  );
}

async function load(options: Parameters<typeof loadMnist>[0] & { variant: MnistVariant }): Promise<ImageSet> {
  const envDir = process.env.LOGITLAB_DATA_DIR;
  // recursive mkdir under /proc never returns: refuse before loadMnist creates its cache directory
  if (!options.root && envDir && isPseudoFsPath(envDir)) {
    throw new UsageError(`LOGITLAB_DATA_DIR=${envDir} is on a kernel pseudo file system, not storage; point it at a real directory`, 1);
  }
  try {
    return await loadMnist(options);
  } catch (err) {
    if (err instanceof DownloadError)
      throw summariseDownloadError(err, options.variant, options.root ?? (await defaultDataDir(options.variant)));
    throw err;
  }
}

async function fromMnist(
  variant: MnistVariant,
  root: string | undefined,
  download: boolean,
  trainCount: number,
  testCount: number,
): Promise<DigitData> {
  const test = await load({ variant, split: 'test', root, download });
  let train: ImageSet;
  let note = '';
  try {
    train = await load({ variant, split: 'train', root, download });
  } catch (err) {
    // A directory with only the 10k test set (like ../shared/data/mnist) still trains: split it.
    if (!(err instanceof DataNotFoundError) || !root) throw err;
    const testPart = Math.min(testCount, Math.floor(test.count / 5));
    const trainSet = sliceSet(test, testPart, Math.min(trainCount, test.count - testPart));
    return {
      train: trainSet,
      test: sliceSet(test, 0, testPart),
      source: `${variant} test split in ${root} (no train split there: last ${trainSet.count} images train, first ${testPart} test)`,
      real: true,
    };
  }
  note = root ? ` from ${root}` : '';
  return {
    train: sliceSet(train, 0, trainCount),
    test: sliceSet(test, 0, testCount),
    source: `${variant}${note} (${Math.min(trainCount, train.count)} train / ${Math.min(testCount, test.count)} test)`,
    real: true,
  };
}

/**
 * Digits for an experiment, following --data: a named dataset (downloaded with --download), a
 * directory of IDX files, synthetic digits, or by default MNIST when it is already cached and
 * synthetic digits otherwise (saying which). --quick without --data means synthetic.
 */
export async function loadDigits(
  ctx: ExperimentContext,
  { trainCount, testCount }: { trainCount: number; testCount: number },
): Promise<DigitData> {
  const spec = ctx.opts.data;
  let data: DigitData;
  if (spec.kind === 'synthetic' || (spec.kind === 'default' && ctx.opts.quick)) {
    data = synthetic(ctx.seed, trainCount, testCount);
  } else if (spec.kind === 'default') {
    try {
      data = await fromMnist('mnist', undefined, ctx.opts.download, trainCount, testCount);
    } catch (err) {
      if (!(err instanceof DataNotFoundError)) throw err;
      ctx.log('data: MNIST is not in the cache, using synthetic digits (pass --download or --data <dir> for real digits)');
      data = synthetic(ctx.seed, trainCount, testCount);
    }
  } else if (spec.kind === 'mnist') {
    data = await fromMnist(spec.variant, undefined, ctx.opts.download, trainCount, testCount);
  } else {
    try {
      data = await fromMnist('mnist', spec.dir, false, trainCount, testCount);
    } catch (err) {
      if (err instanceof DataNotFoundError) throw new UsageError(`--data: no MNIST IDX files in ${spec.dir} (${err.message})`, 1);
      throw err;
    }
  }
  ctx.log(`data: ${data.source}`);
  return data;
}

/** MNIST's standard normalisation (the seed notebooks' transforms.Normalize((0.1307,), (0.3081,))), from datasets. */
export const normalised = (images: Float32Array): Float32Array => normalizePixels(images);

/** Batches of [B, 28, 28, 1] images with int32 class labels. */
export function digitLoader(
  set: ImageSet,
  { batchSize, seed, shuffle = true, normalise = true }: { batchSize: number; seed: number; shuffle?: boolean; normalise?: boolean },
): DataLoader {
  return new DataLoader(
    { x: normalise ? normalised(set.images) : set.images, xShape: [set.height, set.width, 1], y: set.labels, yShape: [] },
    { batchSize, shuffle, seed, dropLast: false },
  );
}
