import { loadMnist, syntheticDigits, type ImageSet } from '@logitlab/datasets';

/** Digits for the pickers, and what they are (shown next to the pickers). */
export interface DigitBank {
  set: ImageSet;
  label: string;
  real: boolean;
}

const synthetic = (): DigitBank => ({
  set: syntheticDigits({ count: 300, seed: 4242 }),
  label: 'synthetic digits (offline fallback)',
  real: false,
});

let bank: Promise<DigitBank> | null = null;
const listeners = new Set<(b: DigitBank) => void>();

/**
 * Real MNIST test digits when the datasets package's browser loader has them cached (checksummed),
 * else seeded synthetic digits, disjoint from the training seed. Never touches the network.
 */
export function digitBank(): Promise<DigitBank> {
  bank ??= loadMnist({ split: 'test', download: false })
    .then((m): DigitBank => ({ set: m, label: 'MNIST test digits', real: true }))
    .catch(() => synthetic());
  return bank;
}

/** Downloads MNIST's test split through the loader (mirrors, checksums, cache); keeps synthetic on failure. */
export async function downloadMnist(): Promise<DigitBank> {
  const m = await loadMnist({ split: 'test', download: true, retries: 0, timeoutMs: 15_000 });
  const b: DigitBank = { set: m, label: 'MNIST test digits', real: true };
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
