import { LogitlabError } from '@logitlab/core';
import { decodeMnist, loadMnist, syntheticDigits, type ImageSet } from '@logitlab/datasets';

/** Digits for the pickers, and what they are (shown next to the pickers). */
export interface DigitBank {
  set: ImageSet;
  label: string;
  /** Real MNIST digits (the whole test split, or the subset shipped with the page). */
  real: boolean;
  /** Only part of the test split: the page may still offer the whole one. */
  partial: boolean;
}

/** The MNIST subset shipped with the page is missing or not what scripts/mnist-subset.mjs writes. */
class ShippedDigitsError extends LogitlabError {
  constructor(message: string) {
    super(message);
    this.name = 'ShippedDigitsError';
  }
}

/** What the build shipped (scripts/mnist-subset.mjs), or null: then nothing is fetched. */
function shippedFiles(): { dir: string; images: string; labels: string } | null {
  return typeof LOGITLAB_MNIST_SUBSET === 'undefined' ? null : LOGITLAB_MNIST_SUBSET;
}

const synthetic = (): DigitBank => ({
  set: syntheticDigits({ count: 300, seed: 4242 }),
  label: 'synthetic digits, not MNIST (none was shipped with this page or downloaded)',
  real: false,
  partial: false,
});

/** The subset shipped in the build, checked by the IDX decoder; ShippedDigitsError when there is none. */
async function shippedSubset(): Promise<DigitBank> {
  const files = shippedFiles();
  if (!files) throw new ShippedDigitsError('this build ships no MNIST digits (its machine had no copy of MNIST)');
  const [images, labels] = await Promise.all(
    [files.images, files.labels].map(async (name) => {
      const url = `${import.meta.env.BASE_URL}${files.dir}/${name}`;
      const r = await fetch(url);
      if (!r.ok) throw new ShippedDigitsError(`${url}: HTTP ${r.status}, expected the MNIST subset the build wrote`);
      return r.arrayBuffer();
    }),
  );
  const set = decodeMnist(images!, labels!, { imagesName: files.images, labelsName: files.labels });
  return { set, label: `MNIST test digits (${set.count} shipped with the page)`, real: true, partial: true };
}

let bank: Promise<DigitBank> | null = null;
const listeners = new Set<(b: DigitBank) => void>();

/**
 * Real MNIST test digits when the datasets package's browser loader has them cached (checksummed),
 * else the subset shipped with the page, else seeded synthetic digits, disjoint from the training seed.
 * Never touches the network beyond the page's own files.
 */
export function digitBank(): Promise<DigitBank> {
  bank ??= loadMnist({ split: 'test', download: false })
    .then((m): DigitBank => ({ set: m, label: 'MNIST test digits', real: true, partial: false }))
    .catch(() => shippedSubset())
    .catch(() => synthetic());
  return bank;
}

/** Downloads MNIST's test split through the loader (mirrors, checksums, cache); keeps the current bank on failure. */
export async function downloadMnist(): Promise<DigitBank> {
  const m = await loadMnist({ split: 'test', download: true, retries: 0, timeoutMs: 15_000 });
  const b: DigitBank = { set: m, label: 'MNIST test digits', real: true, partial: false };
  bank = Promise.resolve(b);
  for (const fn of listeners) fn(b);
  return b;
}

export function onDigitBank(fn: (b: DigitBank) => void): void {
  listeners.add(fn);
}

/** Cycles through the bank's examples of `digit`, one per call. */
const nextOf = new Map<number, number>();
export function nextExample(b: DigitBank, digit: number): Float32Array {
  const { set } = b;
  let i = nextOf.get(digit) ?? 0;
  for (let k = 0; k < set.count; k++, i = (i + 1) % set.count) if (set.labels[i] === digit) break;
  nextOf.set(digit, (i + 1) % set.count);
  return set.images.subarray(i * 784, (i + 1) * 784);
}
