// What a bench measurement is configured by, and its one statistic: shared by the eager and compiled
// measurements (measure.ts, compiled.ts) without either importing the other.

export interface MeasureOptions {
  repeats: number;
  warmup: number;
  /** Warm-up also lasts at least this long (PyTorch's oneDNN and XNNPACK both speed up over the first steps). */
  warmupSec: number;
  steps: number;
  /** A timed repeat aims at about this many seconds when steps are slow (the cpu backend's convnet). */
  targetRepeatSec?: number;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
